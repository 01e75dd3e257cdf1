package iceberg

import (
	"fmt"
	"strings"
	"testing"

	"github.com/apache/iceberg-go/table"
)

const ordersHeader = "id,day,amount"

// testAppendTwice: two append runs make two snapshots; iceberg-go's scan
// and Drover both read every row, and the first snapshot still reads as
// it was (time travel).
func testAppendTwice(t *testing.T, l *lake) {
	in1 := l.writeCSV(t, "a", ordersHeader, "1,2026-12-01,10.5", "2,2026-12-02,20")
	in2 := l.writeCSV(t, "b", ordersHeader, "3,2026-12-02,30", "4,2026-12-03,40.25")
	mustRun(t, l.ordersJob(t, in1, "append", true))
	mustRun(t, l.ordersJob(t, in2, "append", true))

	tbl := l.load(t, l.tbl)
	snaps := snapshots(t, tbl)
	if len(snaps) != 2 {
		t.Fatalf("got %d snapshots, want 2", len(snaps))
	}
	all := []string{"1|2026-12-01|10.5", "2|2026-12-02|20", "3|2026-12-02|30", "4|2026-12-03|40.25"}
	wantRows(t, "iceberg-go scan", icebergRows(t, tbl), all...)
	wantRows(t, "first snapshot", icebergRows(t, tbl, table.WithSnapshotID(snaps[0].SnapshotID)), all[:2]...)
	wantRows(t, "drover read", l.droverRows(t, l.tbl, "", "id", "day", "amount"), all...)
	if spec := tbl.Spec(); spec.NumFields() != 1 {
		t.Fatalf("partition spec %v, want identity(day)", tbl.Spec())
	}
	for _, s := range snaps {
		if s.Summary.Properties["drover.run"] == "" {
			t.Fatalf("snapshot %d has no drover.run property: %v", s.SnapshotID, s.Summary)
		}
	}
}

// testReadPrunesPartitions: a filter on the partition column reads only
// the matching partition's files, and the answer is still exact.
func testReadPrunesPartitions(t *testing.T, l *lake) {
	in := l.writeCSV(t, "a", ordersHeader, "1,2026-12-01,1", "2,2026-12-02,2", "3,2026-12-03,3", "4,2026-12-02,4")
	mustRun(t, l.ordersJob(t, in, "append", true))
	wantRows(t, "filtered read", l.droverRows(t, l.tbl, "day = '2026-12-02'", "id", "amount"), "2|2", "4|4")
	if all, one := l.scanSplits(t, ""), l.scanSplits(t, "day = '2026-12-02'"); all != 3 || one != 1 {
		t.Fatalf("the scan reads %d files unfiltered and %d filtered; want 3 and 1 (one file per day, pruned)", all, one)
	}
	if n := l.scanSplits(t, "amount > 100"); n != 0 {
		t.Fatalf("amount > 100 matches no file's statistics but the scan reads %d files", n)
	}
	wantRows(t, "every file pruned", l.droverRows(t, l.tbl, "amount > 100", "id"))
}

// testOverwrite replaces every row with one snapshot.
func testOverwrite(t *testing.T, l *lake) {
	mustRun(t, l.ordersJob(t, l.writeCSV(t, "a", ordersHeader, "1,2026-12-01,1", "2,2026-12-02,2"), "append", true))
	mustRun(t, l.ordersJob(t, l.writeCSV(t, "b", ordersHeader, "9,2026-12-09,9"), "overwrite", true))
	tbl := l.load(t, l.tbl)
	wantRows(t, "after overwrite", icebergRows(t, tbl), "9|2026-12-09|9")
	if n := len(snapshots(t, tbl)); n != 2 {
		t.Fatalf("got %d snapshots, want 2", n)
	}
}

// testDynamicOverwrite replaces only the partitions the run wrote.
func testDynamicOverwrite(t *testing.T, l *lake) {
	mustRun(t, l.ordersJob(t, l.writeCSV(t, "a", ordersHeader,
		"1,2026-12-01,1", "2,2026-12-02,2", "3,2026-12-02,3", "4,2026-12-03,4"), "append", true))
	mustRun(t, l.ordersJob(t, l.writeCSV(t, "b", ordersHeader, "5,2026-12-02,50", "6,2026-12-04,60"), "dynamic_overwrite", false))
	tbl := l.load(t, l.tbl)
	wantRows(t, "after dynamic overwrite", icebergRows(t, tbl),
		"1|2026-12-01|1", "5|2026-12-02|50", "4|2026-12-03|4", "6|2026-12-04|60")
	wantRows(t, "drover read", l.droverRows(t, l.tbl, "", "id", "day", "amount"),
		"1|2026-12-01|1", "5|2026-12-02|50", "4|2026-12-03|4", "6|2026-12-04|60")
}

// testModeErrorRefusesTableWithData fails before any task runs.
func testModeErrorRefusesTableWithData(t *testing.T, l *lake) {
	mustRun(t, l.ordersJob(t, l.writeCSV(t, "a", ordersHeader, "1,2026-12-01,1"), "error", true))
	_, err := run(t, l.ordersJob(t, l.writeCSV(t, "b", ordersHeader, "2,2026-12-01,2"), "error", true), nil)
	if err == nil || !strings.Contains(err.Error(), "table already has data") {
		t.Fatalf("got %v, want a table-already-has-data error", err)
	}
	wantRows(t, "unchanged", icebergRows(t, l.load(t, l.tbl)), "1|2026-12-01|1")
}

// TestReadAndOverwriteSameTable: a job may read the table it overwrites;
// it reads the snapshot pinned at planning.
func TestReadAndOverwriteSameTable(t *testing.T) {
	l := localLake(t)
	mustRun(t, l.ordersJob(t, l.writeCSV(t, "a", ordersHeader, "1,2026-12-01,1", "2,2026-12-02,2"), "append", true))
	mustRun(t, l.job(t, fmt.Sprintf(`
job "double" {
  %s
  source "orders" {
    format = "iceberg"
    table  = %q
  }
  view "doubled" {
    sql = "SELECT id, day, amount * 2 AS amount FROM orders"
  }
  sink "out" {
    from   = "doubled"
    format = "iceberg"
    table  = %q
    mode   = "overwrite"
  }
}`, l.catalogBlock(), l.tbl, l.tbl)))
	wantRows(t, "doubled in place", icebergRows(t, l.load(t, l.tbl)), "1|2026-12-01|2", "2|2026-12-02|4")
}
