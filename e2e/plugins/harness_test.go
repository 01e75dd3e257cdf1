package plugins

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/drover-etl/drover/driver"
	"github.com/drover-etl/drover/engine"
	"github.com/drover-etl/drover/executor"
	_ "github.com/drover-etl/drover/format/csv"
	_ "github.com/drover-etl/drover/format/parquet"
	_ "github.com/drover-etl/drover/storage/local"
	"github.com/drover-etl/drover/udfhost"
	"github.com/drover-etl/drover/udfhost/plugintest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	plugintest.Cleanup()
	os.Exit(code)
}

// plugins builds the example plugins and faultkit and returns the
// directory they are in (jobs name them ${var.plugins}/<name>).
func plugins(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end")
	}
	bins := plugintest.Build(t, "plugins/textkit", "plugins/piimask", "udfhost/internal/faultkit")
	return filepath.Dir(bins["textkit"])
}

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

// logBuffer collects what the plugins write to stderr.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// runJob compiles a job file (starting its plugins, as drover run does)
// and runs it on two local executor slots that serialize every task spec,
// as a remote executor would receive it.
func runJob(t *testing.T, path string, vars map[string]string, timeout time.Duration, log *logBuffer) (*driver.Summary, error) {
	t.Helper()
	ctx := context.Background()
	c, err := engine.Compile(ctx, path, engine.Options{Vars: vars, Parallelism: 2,
		Plugins: udfhost.Config{Log: log, CallTimeout: timeout}})
	if err != nil {
		return nil, err
	}
	defer c.Close()
	ex := executor.NewLocal(c.WithPlugins(&executor.Runtime{Name: "test", TempDir: t.TempDir()}), 2)
	ex.Serialize = true
	return engine.Run(ctx, c, ex, engine.RunOptions{})
}

func writeFile(t *testing.T, path, body string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// visibleFiles lists committed files under dir (no hidden names), sorted.
func visibleFiles(t *testing.T, dir, ext string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ext) {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		if strings.HasPrefix(rel, "_") || strings.HasPrefix(rel, ".") {
			return nil
		}
		out = append(out, p)
		return nil
	})
	sort.Strings(out)
	return out
}

// readParquet reads every Parquet file under dir with arrow-go's reader
// (not Drover's): one map of column name to value text per row.
func readParquet(t *testing.T, dir string) []map[string]string {
	t.Helper()
	var rows []map[string]string
	for _, path := range visibleFiles(t, dir, ".parquet") {
		f, err := file.OpenParquetFile(path, false)
		if err != nil {
			t.Fatal(err)
		}
		fr, err := pqarrow.NewFileReader(f, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
		if err != nil {
			t.Fatal(err)
		}
		tbl, err := fr.ReadTable(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		n := int(tbl.NumRows())
		start := len(rows)
		for i := 0; i < n; i++ {
			rows = append(rows, map[string]string{})
		}
		for c := 0; c < int(tbl.NumCols()); c++ {
			col := tbl.Column(c)
			i := start
			for _, chunk := range col.Data().Chunks() {
				for j := 0; j < chunk.Len(); j++ {
					rows[i][col.Name()] = chunk.ValueStr(j)
					i++
				}
			}
		}
		tbl.Release()
		f.Close()
	}
	return rows
}
