package cluster

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/icetable"
	"github.com/drover-etl/drover/internal/testutil"
)

const icebergJobHCL = `
variable "pg" {}
variable "in" {}
variable "mode" {
  default = "append"
}
job "ice" {
  catalog "lake" {
    type      = "sql"
    uri       = var.pg
    warehouse = "s3://out/wh"
  }
  source "orders" {
    format = "csv"
    path   = var.in
    schema = { id = "int64", day = "string", amount = "float64" }
  }
  view "by_day" {
    sql = "SELECT day, count(*) AS n, sum(amount) AS total FROM orders GROUP BY day"
  }
  sink "daily" {
    from         = "by_day"
    format       = "iceberg"
    table        = "sales.daily"
    partition_by = ["day"]
    mode         = var.mode
  }
}
`

const icebergReadHCL = `
variable "pg" {}
job "ice_read" {
  catalog "lake" {
    type = "sql"
    uri  = var.pg
  }
  source "daily" {
    format = "iceberg"
    table  = "sales.daily"
  }
  view "recent" {
    from  = "daily"
    where = "day >= '2026-12-02'"
  }
  sink "out" {
    from   = "recent"
    format = "csv"
    path   = "s3://out/ice_read/"
    mode   = "overwrite"
  }
}
`

// TestSubmitIcebergSink runs Iceberg sinks and sources in cluster mode:
// executors started by Nomad write the data files to MinIO, the driver
// commits them through a PostgreSQL catalog. Two runs (append, then a
// dynamic overwrite of one day) are read back by iceberg-go's own scan,
// then by a third cluster run reading the table with a pruning filter.
func TestSubmitIcebergSink(t *testing.T) {
	e := setup(t)
	pg := testutil.StartPostgres(t)
	dir := t.TempDir()
	writeInput := func(name string, rows ...string) string {
		local := filepath.Join(dir, name)
		os.MkdirAll(local, 0o755)
		os.WriteFile(filepath.Join(local, "orders.csv"), []byte("id,day,amount\n"+strings.Join(rows, "\n")+"\n"), 0o644)
		upload(t, local, "s3://data/ice/"+name)
		return "s3://data/ice/" + name + "/"
	}
	job := filepath.Join(dir, "job.hcl")
	if err := os.WriteFile(job, []byte(icebergJobHCL), 0o644); err != nil {
		t.Fatal(err)
	}
	submit := func(in, mode string) {
		cmd := exec.Command(e.binary, "submit", job, "--var", "pg="+pg.URI, "--var", "in="+in, "--var", "mode="+mode,
			"--executors", "2", "--executor-memory", "256", "--executor-cpu", "100",
			"--shuffle-dir", "s3://shuffle/ice", "--executor-binary", e.binary)
		cmd.Env = os.Environ()
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("drover submit (%s): %v\n%s", mode, err, out)
		}
	}
	submit(writeInput("a", "1,2026-12-01,10", "2,2026-12-01,5", "3,2026-12-02,7"), "append")
	submit(writeInput("b", "4,2026-12-02,1", "5,2026-12-03,2"), "dynamic_overwrite")

	cat, err := icetable.Open(context.Background(), icetable.Config{Name: "lake", Type: "sql", URI: pg.URI, Warehouse: "s3://out/wh"})
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := cat.LoadTable(context.Background(), []string{"sales", "daily"})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(tbl.Metadata().Snapshots()); n != 2 {
		t.Fatalf("%d snapshots, want 2", n)
	}
	at, err := tbl.Scan().ToArrowTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer at.Release()
	var got []string
	tr := array.NewTableReader(at, 1024)
	defer tr.Release()
	for tr.Next() {
		rec := tr.RecordBatch()
		for r := range int(rec.NumRows()) {
			got = append(got, fmt.Sprintf("%s|%s|%s", rec.Column(0).ValueStr(r), rec.Column(1).ValueStr(r), rec.Column(2).ValueStr(r)))
		}
	}
	slices.Sort(got)
	want := []string{"2026-12-01|2|15", "2026-12-02|1|1", "2026-12-03|1|2"}
	if !slices.Equal(got, want) {
		t.Fatalf("table rows %v, want %v (day 2026-12-02 replaced, 2026-12-01 kept)", got, want)
	}

	read := filepath.Join(dir, "read.hcl")
	if err := os.WriteFile(read, []byte(icebergReadHCL), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(e.binary, "submit", read, "--var", "pg="+pg.URI, "--executors", "2", "--executor-memory", "256",
		"--executor-cpu", "100", "--shuffle-dir", "s3://shuffle/ice_read", "--executor-binary", e.binary)
	cmd.Env = os.Environ()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("drover submit (read): %v\n%s", err, out)
	}
	var lines []string // one header per part file; part counts follow parallelism
	for _, l := range readAll(t, "s3://out/ice_read/") {
		if l != "day,n,total" {
			lines = append(lines, l)
		}
	}
	wantLines := []string{"2026-12-02,1,1.0", "2026-12-03,1,2.0"}
	if !slices.Equal(lines, wantLines) {
		t.Fatalf("drover read of the table: %v, want %v", lines, wantLines)
	}
}
