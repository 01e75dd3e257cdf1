package local

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/drover-etl/drover/driver"
	"github.com/drover-etl/drover/engine"
	"github.com/drover-etl/drover/executor"
	_ "github.com/drover-etl/drover/format/csv"
	_ "github.com/drover-etl/drover/format/jsonl"
	_ "github.com/drover-etl/drover/format/parquet"
	_ "github.com/drover-etl/drover/storage/local"
	"github.com/drover-etl/drover/task"
)

// repoRoot finds the module root (for jobs/).
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test")
		}
		dir = parent
	}
}

type runOpts struct {
	vars        map[string]string
	parallelism int
	partitions  int
	broadcast   int64
	inject      func(*task.Spec) error
	memory      int64
}

// runJob compiles and runs a job file on the local executor.
func runJob(t *testing.T, path string, o runOpts) (*driver.Summary, error) {
	t.Helper()
	ctx := context.Background()
	if o.parallelism == 0 {
		o.parallelism = 2
	}
	c, err := engine.Compile(ctx, path, engine.Options{Vars: o.vars, Parallelism: o.parallelism, Partitions: o.partitions, BroadcastThresholdBytes: o.broadcast})
	if err != nil {
		return nil, err
	}
	ex := executor.NewLocal(&executor.Runtime{Name: "test", TempDir: t.TempDir()}, o.parallelism)
	ex.Inject = o.inject
	ex.Serialize = true
	return engine.Run(ctx, c, ex, engine.RunOptions{MemoryBytes: o.memory})
}

// writeJob writes an HCL job into dir and returns its path.
func writeJob(t *testing.T, dir, body string) string {
	t.Helper()
	p := filepath.Join(dir, "job.hcl")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func writeText(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// visibleFiles lists committed files under dir (no hidden names), relative.
func visibleFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		for _, seg := range strings.Split(rel, string(filepath.Separator)) {
			if strings.HasPrefix(seg, "_") || strings.HasPrefix(seg, ".") {
				return nil
			}
		}
		out = append(out, rel)
		return nil
	})
	sort.Strings(out)
	return out
}

// readParquetDir reads every Parquet file under dir with arrow-go's reader
// directly (not Drover's), adding Hive partition columns from the path.
// Each row is a map of column name to its value's string form.
func readParquetDir(t *testing.T, dir string) []map[string]string {
	t.Helper()
	var rows []map[string]string
	for _, rel := range visibleFiles(t, dir) {
		if !strings.HasSuffix(rel, ".parquet") {
			continue
		}
		parts := map[string]string{}
		for _, seg := range strings.Split(filepath.Dir(rel), string(filepath.Separator)) {
			if k, v, ok := strings.Cut(seg, "="); ok {
				parts[k] = v
			}
		}
		rows = append(rows, readParquetFile(t, filepath.Join(dir, rel), parts)...)
	}
	return rows
}

func readParquetFile(t *testing.T, path string, parts map[string]string) []map[string]string {
	t.Helper()
	f, err := file.OpenParquetFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fr, err := pqarrow.NewFileReader(f, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	var rows []map[string]string
	tr := arrowTableRows(tbl)
	for _, r := range tr {
		for k, v := range parts {
			r[k] = v
		}
		rows = append(rows, r)
	}
	return rows
}

func arrowTableRows(tbl arrow.Table) []map[string]string {
	n := int(tbl.NumRows())
	rows := make([]map[string]string, n)
	for i := range rows {
		rows[i] = map[string]string{}
	}
	for c := 0; c < int(tbl.NumCols()); c++ {
		col := tbl.Column(c)
		i := 0
		for _, chunk := range col.Data().Chunks() {
			for j := 0; j < chunk.Len(); j++ {
				if chunk.IsNull(j) {
					rows[i][col.Name()] = "NULL"
				} else {
					rows[i][col.Name()] = chunk.ValueStr(j)
				}
				i++
			}
		}
	}
	return rows
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	recs, err := csv.NewReader(fh).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}
