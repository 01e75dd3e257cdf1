package iceberg

import (
	"context"
	"fmt"
	"testing"

	"github.com/apache/iceberg-go"
	"github.com/apache/iceberg-go/table"
)

// TestEveryTypeRoundTrips: a table of every Drover type is read back
// with the same values by iceberg-go's scan and by Drover.
func TestEveryTypeRoundTrips(t *testing.T) {
	l := localLake(t)
	in := l.writeCSV(t, "all", "b,i,l,f,d,dec,s,dt,ts",
		"true,1,10000000000,1.5,2.25,123.45,hello,2026-12-07,2026-12-07 10:11:12",
		",,,,,,,,")
	job := l.job(t, fmt.Sprintf(`
job "types" {
  %s
  source "in" {
    format = "csv"
    path   = %q
    schema = { b = "bool", i = "int32", l = "int64", f = "float32", d = "float64", dec = "decimal(10,2)", s = "string", dt = "date", ts = "timestamp" }
  }
  sink "out" {
    from   = "in"
    format = "iceberg"
    table  = "t.all_types"
    mode   = "append"
  }
}`, l.catalogBlock(), in))
	mustRun(t, job)
	tbl := l.load(t, "t.all_types")
	wantRows(t, "iceberg-go scan", icebergRows(t, tbl),
		"true|1|10000000000|1.5|2.25|123.45|hello|2026-12-07|2026-12-07T10:11:12Z",
		"(null)|(null)|(null)|(null)|(null)|(null)|(null)|(null)|(null)")
	cols := []string{"b", "i", "l", "f", "d", "dec", "s", "dt", "ts"}
	got := l.droverRows(t, "t.all_types", "", cols...)
	ref := l.csvRows(t, in, cols...)
	wantRows(t, "drover read equals the CSV read through Drover", got, ref...)
}

// TestDynamicOverwriteTypedPartitions: partitions of date and int32
// columns are told apart exactly (the new files' partition values match
// the ones read back from the manifests).
func TestDynamicOverwriteTypedPartitions(t *testing.T) {
	l := localLake(t)
	load := func(name, mode string, rows ...string) {
		in := l.writeCSV(t, name, "id,dt,bucket", rows...)
		mustRun(t, l.job(t, fmt.Sprintf(`
job "typed" {
  %s
  source "in" {
    format = "csv"
    path   = %q
    schema = { id = "int64", dt = "date", bucket = "int32" }
  }
  sink "out" {
    from         = "in"
    format       = "iceberg"
    table        = "t.typed"
    partition_by = ["dt", "bucket"]
    mode         = %q
  }
}`, l.catalogBlock(), in, mode)))
	}
	load("a", "append", "1,2026-12-01,1", "2,2026-12-01,2", "3,2026-12-02,1")
	load("b", "dynamic_overwrite", "4,2026-12-01,2", "5,2026-12-03,1")
	wantRows(t, "rows", icebergRows(t, l.load(t, "t.typed")),
		"1|2026-12-01|1", "4|2026-12-01|2", "3|2026-12-02|1", "5|2026-12-03|1")
}

// TestDynamicOverwriteNullPartition: the NULL partition is replaced like
// any other.
func TestDynamicOverwriteNullPartition(t *testing.T) {
	l := localLake(t)
	mustRun(t, l.ordersJob(t, l.writeCSV(t, "a", ordersHeader, "1,,1", "2,2026-12-02,2"), "append", true))
	mustRun(t, l.ordersJob(t, l.writeCSV(t, "b", ordersHeader, "3,,3"), "dynamic_overwrite", true))
	wantRows(t, "rows", icebergRows(t, l.load(t, l.tbl)), "2|2026-12-02|2", "3|(null)|3")
}

// TestAddedColumnReadsNull: a column added to the table after files were
// written reads as NULL in those files, in Drover as in iceberg-go.
func TestAddedColumnReadsNull(t *testing.T) {
	l := localLake(t)
	mustRun(t, l.ordersJob(t, l.writeCSV(t, "a", ordersHeader, "1,2026-12-01,1"), "append", true))
	tbl := l.load(t, l.tbl)
	tx := tbl.NewTransaction()
	if err := tx.UpdateSchema(true, false).AddColumn([]string{"note"}, iceberg.PrimitiveTypes.String, "", false, nil).Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
	mustRun(t, l.ordersJob(t, l.writeCSV(t, "b", ordersHeader, "2,2026-12-02,2"), "append", true))
	wantRows(t, "iceberg-go scan", icebergRows(t, l.load(t, l.tbl)), "1|2026-12-01|1|(null)", "2|2026-12-02|2|(null)")
	wantRows(t, "drover read", l.droverRows(t, l.tbl, "", "id", "note"), "1|NULL", "2|NULL")
}

// TestEvolvedColumnsReadByFieldID: after a rename, and a column dropped
// and added again under its old name, Drover reads the files written
// before by field id — renamed data under the new name, the re-added
// column NULL — as iceberg-go does, filters and pruning included.
func TestEvolvedColumnsReadByFieldID(t *testing.T) {
	l := localLake(t)
	mustRun(t, l.ordersJob(t, l.writeCSV(t, "a", ordersHeader, "1,2026-12-01,1.5", "2,2026-12-02,7"), "append", true))
	evolve := func(change func(*table.UpdateSchema) *table.UpdateSchema) {
		tx := l.load(t, l.tbl).NewTransaction()
		if err := change(tx.UpdateSchema(true, false)).Commit(); err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Commit(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	evolve(func(u *table.UpdateSchema) *table.UpdateSchema { return u.RenameColumn([]string{"amount"}, "total") })
	evolve(func(u *table.UpdateSchema) *table.UpdateSchema { return u.DeleteColumn([]string{"id"}) })
	evolve(func(u *table.UpdateSchema) *table.UpdateSchema {
		return u.AddColumn([]string{"id"}, iceberg.PrimitiveTypes.Int64, "", false, nil)
	})
	wantRows(t, "iceberg-go scan", icebergRows(t, l.load(t, l.tbl)), "2026-12-01|1.5|(null)", "2026-12-02|7|(null)")
	wantRows(t, "drover read", l.droverRows(t, l.tbl, "", "day", "total", "id"), "2026-12-01|1.5|NULL", "2026-12-02|7|NULL")
	wantRows(t, "drover filtered read", l.droverRows(t, l.tbl, "total > 2", "day", "total"), "2026-12-02|7")
	wantRows(t, "re-added column is NULL", l.droverRows(t, l.tbl, "id IS NULL", "day"), "2026-12-01", "2026-12-02")
}
