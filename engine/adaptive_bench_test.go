package engine_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/drover-etl/drover/adaptive"
	"github.com/drover-etl/drover/commit"
	"github.com/drover-etl/drover/engine"
	"github.com/drover-etl/drover/executor"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/task"
)

// BenchmarkSkewedJoin runs a shuffled join whose key 0 holds about 30% of
// the probe rows, with and without adaptive execution. Sizes are scaled
// down (advisory size and skew threshold 256 KiB, skew factor 3: the
// skewed partition compresses better than the others) so that the skew split fires
// on a benchmark-sized input; it reports the tasks of the join stage and
// the largest task's input rows next to the time.
func BenchmarkSkewedJoin(b *testing.B) {
	dir := skewedJoinData(b, 400_000, 8)
	job := filepath.Join(b.TempDir(), "job.hcl")
	out := filepath.Join(b.TempDir(), "out")
	body := fmt.Sprintf(`job "skew" {
  source "facts" {
    format = "csv"
    path   = "%[1]s/facts/*.csv"
    schema = { id = "int64", k = "int64", v = "int64" }
  }
  source "dims" {
    format = "csv"
    path   = "%[1]s/dims/*.csv"
    schema = { k = "int64", name = "string" }
  }
  view "j" {
    sql = "SELECT d.name, count(*) AS n, sum(f.v) AS s FROM facts f JOIN dims d ON f.k = d.k GROUP BY d.name"
  }
  sink "out" {
    from   = "j"
    format = "csv"
    path   = "%[2]s"
    mode   = "overwrite"
  }
}`, dir, out)
	if err := os.WriteFile(job, []byte(body), 0o644); err != nil {
		b.Fatal(err)
	}
	scaled := adaptive.Config{AdvisoryBytes: 256 << 10, SkewThresholdBytes: 256 << 10, SkewFactor: 3, BroadcastBytes: -1}
	for _, bc := range []struct {
		name string
		cfg  adaptive.Config
	}{{"adaptive=off", adaptive.Config{Disabled: true}}, {"adaptive=on", scaled}} {
		b.Run(bc.name, func(b *testing.B) {
			ctx := context.Background()
			c, err := engine.Compile(ctx, job, engine.Options{Parallelism: 2, Partitions: 16, BroadcastThresholdBytes: -1})
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			join := joinStageID(b, c)
			var obs maxRows
			tasks := 0
			var decisions []adaptive.Decision
			for b.Loop() {
				obs = maxRows{stage: join}
				ex := executor.NewLocal(&executor.Runtime{Name: "bench", TempDir: b.TempDir()}, 2)
				sum, err := engine.Run(ctx, c, ex, engine.RunOptions{Adaptive: bc.cfg, Observer: &obs})
				ex.Close()
				if err != nil {
					b.Fatal(err)
				}
				decisions = sum.Adaptive()
				for _, st := range sum.Stages {
					if st.ID == join {
						tasks = st.Tasks
					}
				}
			}
			for _, d := range decisions {
				b.Log(d)
			}
			b.ReportMetric(float64(tasks), "join-tasks")
			b.ReportMetric(float64(obs.max), "rows/join-task-max")
		})
	}
}

// joinStageID is the stage running the shuffled join.
func joinStageID(b *testing.B, c *engine.Compiled) int {
	for _, st := range c.Stages.Stages {
		if strings.Contains(physical.Format(st.Root), "HashJoin") {
			return st.ID
		}
	}
	b.Fatal("no join stage")
	return -1
}

// maxRows notes the most input rows one task of a stage read.
type maxRows struct {
	mu    sync.Mutex
	stage int
	max   int64
}

func (m *maxRows) TaskStarted(*task.Spec) {}
func (m *maxRows) TaskEnded(spec *task.Spec, res *task.Result, err error) {
	if err != nil || spec.Stage != m.stage {
		return
	}
	m.mu.Lock()
	m.max = max(m.max, res.Metrics.RowsIn)
	m.mu.Unlock()
}
func (m *maxRows) SinkCommitted(commit.Result) {}

// skewedJoinData writes facts(id, k, v) over files CSV files, key 0 on
// about 30% of the rows, and dims(k, name) for keys 0..999.
func skewedJoinData(b *testing.B, rows, files int) string {
	dir := b.TempDir()
	rng := rand.New(rand.NewPCG(3, 5))
	for _, d := range []string{"facts", "dims"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			b.Fatal(err)
		}
	}
	parts := make([]strings.Builder, files)
	for i := 0; i < rows; i++ {
		k := 0
		if rng.IntN(10) >= 3 {
			k = 1 + rng.IntN(999)
		}
		fmt.Fprintf(&parts[i%files], "%d,%d,%d\n", i, k, rng.IntN(1000))
	}
	for i := range parts {
		body := "id,k,v\n" + parts[i].String()
		if err := os.WriteFile(filepath.Join(dir, "facts", fmt.Sprintf("part-%d.csv", i)), []byte(body), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	var dims strings.Builder
	dims.WriteString("k,name\n")
	for k := range 1000 {
		fmt.Fprintf(&dims, "%d,n%d\n", k, k)
	}
	if err := os.WriteFile(filepath.Join(dir, "dims", "dims.csv"), []byte(dims.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	return dir
}
