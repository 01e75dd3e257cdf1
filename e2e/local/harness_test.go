package local

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/drover-etl/drover/adaptive"
	"github.com/drover-etl/drover/driver"
	"github.com/drover-etl/drover/engine"
	"github.com/drover-etl/drover/executor"
	_ "github.com/drover-etl/drover/format/csv"
	_ "github.com/drover-etl/drover/format/jsonl"
	_ "github.com/drover-etl/drover/format/parquet"
	"github.com/drover-etl/drover/internal/e2eutil"
	"github.com/drover-etl/drover/memory"
	_ "github.com/drover-etl/drover/storage/local"
	"github.com/drover-etl/drover/task"
	"slices"
	"strings"
)

type runOpts struct {
	vars        map[string]string
	parallelism int
	partitions  int
	broadcast   int64
	inject      func(*task.Spec) error
	memory      int64
	adaptive    adaptive.Config
	// inlineInputs is driver.Config.InlineInputs (-1: every stage's
	// outputs through a map status object).
	inlineInputs int
	// pool is the executor's shared memory pool (nil: one per task).
	pool *memory.Pool
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
	ex := executor.NewLocal(&executor.Runtime{Name: "test", TempDir: t.TempDir(), Pool: o.pool}, o.parallelism)
	ex.Inject = o.inject
	ex.Serialize = true
	return engine.Run(ctx, c, ex, engine.RunOptions{MemoryBytes: o.memory, Adaptive: o.adaptive, InlineInputs: o.inlineInputs})
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

// checkCSVRows compares the data rows of the CSV files in dir (header lines
// dropped, rows sorted, each rendered "v1,v2,…") with want.
func checkCSVRows(t *testing.T, dir string, want ...string) {
	t.Helper()
	var got []string
	for _, f := range e2eutil.VisibleFiles(t, dir) {
		for _, r := range e2eutil.ReadCSV(t, filepath.Join(dir, f))[1:] {
			got = append(got, strings.Join(r, ","))
		}
	}
	slices.Sort(got)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("%s: got %v, want %v", filepath.Base(dir), got, want)
	}
}
