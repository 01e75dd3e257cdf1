package iceberg

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	icecat "github.com/apache/iceberg-go/catalog"
	"github.com/apache/iceberg-go/table"

	"github.com/drover-etl/drover/driver"
	"github.com/drover-etl/drover/engine"
	"github.com/drover-etl/drover/executor"
	_ "github.com/drover-etl/drover/format/csv"
	_ "github.com/drover-etl/drover/format/parquet"
	"github.com/drover-etl/drover/icetable"
	"github.com/drover-etl/drover/internal/e2eutil"
	"github.com/drover-etl/drover/plan/physical"
	_ "github.com/drover-etl/drover/storage/local"
	"github.com/drover-etl/drover/task"
)

// lake is one test's catalog and warehouse.
type lake struct {
	uri       string // catalog URI
	warehouse string
	dir       string // scratch directory for inputs and jobs
	tbl       string // the table the tests write: "namespace.table"
}

func localLake(t *testing.T) *lake {
	dir := t.TempDir()
	return &lake{uri: "sqlite://" + filepath.Join(dir, "catalog.db"), warehouse: "file://" + filepath.Join(dir, "wh"),
		dir: dir, tbl: "sales.orders"}
}

// lakeTests are the suites every catalog and warehouse pair passes.
var lakeTests = []struct {
	name string
	run  func(*testing.T, *lake)
}{
	{"AppendTwice", testAppendTwice},
	{"ReadPrunesPartitions", testReadPrunesPartitions},
	{"Overwrite", testOverwrite},
	{"DynamicOverwrite", testDynamicOverwrite},
	{"ModeErrorRefusesTableWithData", testModeErrorRefusesTableWithData},
	{"FailedRunCommitsNothing", testFailedRunCommitsNothing},
	{"RetriedAttemptsNeverReferenced", testRetriedAttemptsNeverReferenced},
	{"ConcurrentAppendsBothLand", testConcurrentAppendsBothLand},
	{"ChaosAttemptsNeverReferenced", testChaosAttemptsNeverReferenced},
}

// TestLocalSQLite runs the suites on a SQLite catalog file and a local
// warehouse (embedded mode), each on a fresh catalog.
func TestLocalSQLite(t *testing.T) {
	for _, tt := range lakeTests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, localLake(t)) })
	}
}

// catalogBlock is the job text of the lake's catalog.
func (l *lake) catalogBlock() string {
	return fmt.Sprintf("catalog \"lake\" {\n  type = \"sql\"\n  uri = %q\n  warehouse = %q\n}\n", l.uri, l.warehouse)
}

// writeCSV writes rows (with a header) as one input file and returns its path.
func (l *lake) writeCSV(t *testing.T, name string, header string, rows ...string) string {
	t.Helper()
	p := filepath.Join(l.dir, name+".csv")
	body := header + "\n" + strings.Join(rows, "\n") + "\n"
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// ordersJob writes input (id, day, amount) into the lake's table.
func (l *lake) ordersJob(t *testing.T, input, mode string, partitioned bool) string {
	part := ""
	if partitioned {
		part = `partition_by = ["day"]`
	}
	return l.job(t, fmt.Sprintf(`
job "load" {
  %s
  source "in" {
    format = "csv"
    path   = %q
    schema = { id = "int64", day = "string", amount = "float64" }
  }
  sink "out" {
    from   = "in"
    format = "iceberg"
    table  = %q
    mode   = %q
    %s
  }
}`, l.catalogBlock(), input, l.tbl, mode, part))
}

func (l *lake) job(t *testing.T, body string) string {
	t.Helper()
	f, err := os.CreateTemp(l.dir, "job-*.hcl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(body); err != nil {
		t.Fatal(err)
	}
	return f.Name()
}

// run compiles and runs a job on the local executor.
func run(t *testing.T, path string, inject func(*task.Spec) error) (*driver.Summary, error) {
	t.Helper()
	ctx := context.Background()
	c, err := engine.Compile(ctx, path, engine.Options{Parallelism: 2, Partitions: 3})
	if err != nil {
		return nil, err
	}
	defer c.Close()
	ex := executor.NewLocal(&executor.Runtime{Name: "test", TempDir: t.TempDir()}, 2)
	ex.Inject = inject
	return engine.Run(ctx, c, ex, engine.RunOptions{})
}

func mustRun(t *testing.T, path string) *driver.Summary {
	t.Helper()
	sum, err := run(t, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// open opens the lake's catalog the way an independent client would.
func (l *lake) open(t *testing.T) icecat.Catalog {
	t.Helper()
	c, err := icetable.Open(context.Background(), icetable.Config{Name: "lake", Type: "sql", URI: l.uri, Warehouse: l.warehouse})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (l *lake) load(t *testing.T, name string) *table.Table {
	t.Helper()
	tbl, err := l.open(t).LoadTable(context.Background(), strings.Split(name, "."))
	if err != nil {
		t.Fatal(err)
	}
	return tbl
}

// icebergRows reads a table with iceberg-go's own scan (the independent
// reader) and renders its rows "v1|v2|…", sorted.
func icebergRows(t *testing.T, tbl *table.Table, opts ...table.ScanOption) []string {
	t.Helper()
	at, err := tbl.Scan(opts...).ToArrowTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer at.Release()
	tr := array.NewTableReader(at, 1024)
	defer tr.Release()
	var rows []string
	for tr.Next() {
		rec := tr.RecordBatch()
		for r := range int(rec.NumRows()) {
			cells := make([]string, rec.NumCols())
			for c := range cells {
				cells[c] = rec.Column(c).ValueStr(r)
			}
			rows = append(rows, strings.Join(cells, "|"))
		}
	}
	slices.Sort(rows)
	return rows
}

// droverRows reads a table with a Drover job (iceberg source → Parquet
// directory) and renders its rows like icebergRows.
func (l *lake) droverRows(t *testing.T, name, where string, cols ...string) []string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	view := "from = \"src\""
	if where != "" {
		view += "\n    where = " + fmt.Sprintf("%q", where)
	}
	job := l.job(t, fmt.Sprintf(`
job "read" {
  %s
  source "src" {
    format = "iceberg"
    table  = %q
  }
  view "v" {
    %s
  }
  sink "copy" {
    from   = "v"
    format = "parquet"
    path   = %q
  }
}`, l.catalogBlock(), name, view, out))
	mustRun(t, job)
	var rows []string
	for _, r := range e2eutil.ReadParquetDir(t, out) {
		cells := make([]string, len(cols))
		for i, c := range cols {
			cells[i] = r[c]
		}
		rows = append(rows, strings.Join(cells, "|"))
	}
	slices.Sort(rows)
	return rows
}

// csvRows copies a CSV input (with the types of the all-types schema)
// through Drover to Parquet and renders it like droverRows: the reference
// an iceberg read must equal.
func (l *lake) csvRows(t *testing.T, in string, cols ...string) []string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	job := l.job(t, fmt.Sprintf(`
job "ref" {
  source "in" {
    format = "csv"
    path   = %q
    schema = { b = "bool", i = "int32", l = "int64", f = "float32", d = "float64", dec = "decimal(10,2)", s = "string", dt = "date", ts = "timestamp" }
  }
  sink "copy" {
    from   = "in"
    format = "parquet"
    path   = %q
  }
}`, in, out))
	mustRun(t, job)
	var rows []string
	for _, r := range e2eutil.ReadParquetDir(t, out) {
		cells := make([]string, len(cols))
		for i, c := range cols {
			cells[i] = r[c]
		}
		rows = append(rows, strings.Join(cells, "|"))
	}
	slices.Sort(rows)
	return rows
}

// scanSplits plans a read of the lake's table with filter where and
// counts the Parquet splits its scan kept.
func (l *lake) scanSplits(t *testing.T, where string) int {
	t.Helper()
	view := "from = \"src\""
	if where != "" {
		view += "\n    where = " + fmt.Sprintf("%q", where)
	}
	job := l.job(t, fmt.Sprintf(`
job "plan" {
  %s
  source "src" {
    format = "iceberg"
    table  = %q
  }
  view "v" {
    %s
  }
  sink "copy" {
    from   = "v"
    format = "parquet"
    path   = %q
  }
}`, l.catalogBlock(), l.tbl, view, filepath.Join(t.TempDir(), "out")))
	c, err := engine.Compile(context.Background(), job, engine.Options{Parallelism: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	n := 0
	var walk func(*physical.Node)
	walk = func(nd *physical.Node) {
		if nd.Scan != nil {
			n += len(nd.Scan.Splits)
		}
		for _, in := range nd.Inputs {
			walk(in)
		}
	}
	for _, root := range c.Physical {
		walk(root)
	}
	return n
}

func snapshots(t *testing.T, tbl *table.Table) []table.Snapshot {
	t.Helper()
	return tbl.Metadata().Snapshots()
}

func wantRows(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("%s:\n got  %q\n want %q", what, got, want)
	}
}
