package local

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/drover-etl/drover/engine"
	"github.com/drover-etl/drover/internal/e2eutil"
)

// partitionInput has a row for every awkward partition value: path
// characters, '=', '%', quotes, spaces, non-ASCII, the empty string and
// NULL in the string key; NULL dates and integers; decimals.
// partitionInput has a row for every awkward partition value: path
// characters, '=', '%', quotes, spaces, non-ASCII, the empty string and
// NULL in the string key; NULL dates, integers, timestamps, bools and
// floats; negative, fractional and large numbers; decimals.
const partitionInput = `{"id":1,"region":"eu","day":"2026-11-20","k":1,"price":12.5,"ts":"2026-11-20 10:11:12.5","b":true,"f":0.1,"amt":1.25}
{"id":2,"region":"eu","day":"2026-11-20","k":1,"price":12.5,"ts":"2026-11-20 10:11:12.5","b":true,"f":0.1,"amt":2.5}
{"id":3,"region":"eu","day":"2026-11-21","k":2,"price":-0.07,"ts":"1969-12-31 23:59:59.999999","b":false,"f":2,"amt":3}
{"id":4,"region":"a/b","day":"2026-11-20","k":1,"price":1,"ts":null,"b":null,"f":-1e21,"amt":4}
{"id":5,"region":"x=y","day":"2026-11-20","k":-3,"price":1,"ts":"2026-11-20 00:00:00","b":true,"f":null,"amt":5}
{"id":6,"region":"50%","day":null,"k":1,"price":1,"ts":"2026-11-20 10:11:12.5","b":true,"f":0.1,"amt":6}
{"id":7,"region":"","day":"2026-11-20","k":null,"price":1,"ts":"2026-11-20 10:11:12.5","b":true,"f":0.1,"amt":7}
{"id":8,"region":null,"day":"2026-11-22","k":1,"price":null,"ts":"2026-11-20 10:11:12.5","b":true,"f":0.1,"amt":8}
{"id":9,"region":"sp ace ü'\"#?*:[]^\\","day":"2026-11-20","k":1,"price":1,"ts":"2026-11-20 10:11:12.5","b":true,"f":0.1,"amt":null}
{"id":10,"region":"007","day":"1969-12-31","k":9000000000,"price":1234567.89,"ts":"2026-11-20 10:11:12.5","b":true,"f":0.1,"amt":10}
`

const partitionSchema = `{ id = "int64", region = "string", day = "date", k = "int64", price = "decimal(9,2)", ts = "timestamp", b = "bool", f = "float64", amt = "decimal(9,2)" }`

// writePartitioned writes partitionInput (from local/in.jsonl) as a
// dataset partitioned by region, day, k and price in each format under
// parts (a local directory or an s3:// prefix), plus the unpartitioned
// answer as JSON lines in local/flat.
func writePartitioned(t *testing.T, local, parts string) {
	t.Helper()
	e2eutil.WriteFile(t, filepath.Join(local, "in.jsonl"), partitionInput)
	var sinks strings.Builder
	for _, f := range []string{"parquet", "csv", "jsonl"} {
		fmt.Fprintf(&sinks, `
  sink "parts_%[1]s" {
    from         = "in"
    format       = "%[1]s"
    path         = "%[2]s/parts_%[1]s"
    partition_by = ["region", "day", "k", "price", "ts", "b", "f"]
  }`, f, parts)
	}
	job := fmt.Sprintf(`
job "write" {
  source "in" {
    format = "jsonl"
    path   = "%[1]s/in.jsonl"
    schema = %[2]s
  }
  %[3]s
  sink "flat" {
    from   = "in"
    format = "jsonl"
    path   = "%[1]s/flat"
  }
}`, local, partitionSchema, sinks.String())
	if _, err := runJob(t, writeJob(t, t.TempDir(), job), runOpts{}); err != nil {
		t.Fatal(err)
	}
}

// TestPartitionedRoundTrip writes a dataset with partition_by in every
// format, reads it back as a source (partition types inferred, except the
// decimal, declared) and compares with the unpartitioned answer.
func TestPartitionedRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	dir := t.TempDir()
	checkRoundTrip(t, dir, dir)
}

// checkRoundTrip writes the dataset under parts and reads every format of
// it back, comparing with the unpartitioned answer in local.
func checkRoundTrip(t *testing.T, local, parts string) {
	t.Helper()
	writePartitioned(t, local, parts)
	want := jsonLines(t, filepath.Join(local, "flat"))
	if len(want) != 10 {
		t.Fatalf("flat answer has %d rows", len(want))
	}
	for _, f := range []string{"parquet", "csv", "jsonl"} {
		t.Run(f, func(t *testing.T) {
			schema := "" // Parquet files carry theirs
			if f != "parquet" {
				schema = `schema = { id = "int64", amt = "decimal(9,2)" }`
			}
			job := fmt.Sprintf(`
job "read" {
  source "back" {
    format            = "%[1]s"
    path              = "%[2]s/parts_%[1]s/"
    partition_columns = { price = "decimal(9,2)", b = "bool" } # region, day, k, ts, f inferred
    %[3]s
  }
  view "v" {
    sql = "SELECT id, region, day, k, price, ts, b, f, amt FROM back"
  }
  sink "out" {
    from   = "v"
    format = "jsonl"
    path   = "%[4]s/back_%[1]s"
  }
}`, f, parts, schema, local)
			if _, err := runJob(t, writeJob(t, t.TempDir(), job), runOpts{}); err != nil {
				t.Fatal(err)
			}
			got := jsonLines(t, filepath.Join(local, "back_"+f))
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("read back:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// TestPartitionPruningOpensNoOtherFile overwrites every file outside one
// partition with garbage: a query filtering on that partition must still
// succeed (so it never opened them, not even for a footer), explain must
// report the pruned count, and the same query without the filter fails
// (so the garbage would have been noticed).
func TestPartitionPruningOpensNoOtherFile(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	dir := t.TempDir()
	writePartitioned(t, dir, dir)
	parts := filepath.Join(dir, "parts_parquet")
	files := e2eutil.VisibleFiles(t, parts)
	kept := 0
	for _, f := range files {
		if strings.HasPrefix(f, "region=eu/day=2026-11-20/") {
			kept++
			continue
		}
		if err := os.WriteFile(filepath.Join(parts, f), []byte("not parquet"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if kept == 0 || kept == len(files) {
		t.Fatalf("%d of %d files in the kept partition", kept, len(files))
	}
	query := func(where string) string {
		return writeJob(t, t.TempDir(), fmt.Sprintf(`
job "pruned" {
  source "back" {
    format = "parquet"
    path   = "%[1]s/"
    schema = { id = "int64", amt = "decimal(9,2)" }
  }
  view "v" {
    sql = "SELECT id, amt, k FROM back %[2]s"
  }
  sink "out" {
    from   = "v"
    format = "jsonl"
    path   = "%[3]s/pruned"
    mode   = "overwrite"
  }
}`, parts, where, dir))
	}
	filtered := query("WHERE region = 'eu' AND day = DATE '2026-11-20' AND id > 0")
	c, err := engine.Compile(context.Background(), filtered, engine.Options{Parallelism: 2})
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("files=%d/%d pruned=%d", kept, len(files), len(files)-kept); !strings.Contains(c.Explain(), want) {
		t.Errorf("explain lacks %q:\n%s", want, c.Explain())
	}
	if _, err := runJob(t, filtered, runOpts{}); err != nil {
		t.Fatalf("a pruned file was opened: %v", err)
	}
	got := jsonLines(t, filepath.Join(dir, "pruned"))
	want := []string{`{"id":1,"amt":1.25,"k":1}`, `{"id":2,"amt":2.50,"k":1}`}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("got %v, want %v", got, want)
	}
	if _, err := runJob(t, query(""), runOpts{}); err == nil || !strings.Contains(err.Error(), "parquet") {
		t.Errorf("unfiltered query over garbage files: err = %v, want a corrupt-file error", err)
	}
}

// jsonLines reads every JSON line under dir, sorted.
func jsonLines(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	for _, f := range e2eutil.VisibleFiles(t, dir) {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
			if len(l) > 0 {
				out = append(out, string(l))
			}
		}
	}
	slices.Sort(out)
	return out
}
