package driver_test

import (
	"context"
	"fmt"
	"github.com/drover-etl/drover/adaptive"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/drover-etl/drover/engine"
	"github.com/drover-etl/drover/executor"
	"github.com/drover-etl/drover/internal/e2eutil"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/sampledata"
	"github.com/drover-etl/drover/stage"
	"github.com/drover-etl/drover/task"
)

// TestIndeterminatePluginStageRollsBackConsumers runs jobs/plugins.hcl with
// its real plugins. piimask.mask does not declare itself deterministic, so
// when the shuffle output of its stage is lost after a consumer task has
// read it, the recompute also reruns that finished consumer task; the
// answer equals an undisturbed run's, row for row.
func TestIndeterminatePluginStageRollsBackConsumers(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs plugins")
	}
	root := e2eutil.RepoRoot(t)
	dir := t.TempDir()
	plugins := filepath.Join(dir, "plugins")
	for _, p := range []string{"textkit", "piimask"} {
		cmd := exec.Command("go", "build", "-o", filepath.Join(plugins, p), "./plugins/"+p)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("build plugin %s: %v\n%s", p, err, out)
		}
	}
	data := filepath.Join(dir, "data")
	if _, err := sampledata.Generate(context.Background(), sampledata.Config{Dir: data, Customers: 200, OrdersPerDay: 1000, Days: 2, End: "2026-11-20", Seed: 7}); err != nil {
		t.Fatal(err)
	}
	compile := func(out string) *engine.Compiled {
		c, err := engine.Compile(context.Background(), filepath.Join(root, "jobs", "plugins.hcl"), engine.Options{Parallelism: 3, Partitions: 3,
			BroadcastThresholdBytes: -1, Vars: map[string]string{"data": data, "out": out, "plugins": plugins}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	run := func(c *engine.Compiled, ex func(task.Executor) task.Executor, shuffle string) {
		local := executor.NewLocal(c.WithPlugins(&executor.Runtime{Name: "det", TempDir: t.TempDir()}), 3)
		if _, err := engine.Run(context.Background(), c, ex(local), engine.RunOptions{ShuffleDir: shuffle, Run: "det", Adaptive: adaptive.Config{Disabled: true}}); err != nil {
			t.Fatal(err)
		}
	}
	wantOut := filepath.Join(dir, "want")
	run(compile(wantOut), func(e task.Executor) task.Executor { return e }, "")

	gotOut, shuffle := filepath.Join(dir, "got"), filepath.Join(dir, "shuffle")
	c := compile(gotOut)
	masked, consumer := maskedStage(t, c.Stages)
	lose := &losingExec{consumer: consumer, lost: task.ShuffleURL(filepath.Join(shuffle, "det"), masked, 0, 0),
		deleted: make(chan struct{}), ran: map[[2]int]int{}}
	run(c, func(e task.Executor) task.Executor { lose.Executor = e; return lose }, shuffle)

	if n := lose.runs(masked, 0); n != 2 {
		t.Errorf("the lost map task %d.0 ran %d times, want 2", masked, n)
	}
	if n := lose.runs(consumer, 0); n != 2 {
		t.Errorf("consumer task %d.0, finished on the lost output, ran %d times, want 2 (rolled back)", consumer, n)
	}
	for _, sink := range []string{"attention", "note_slugs"} {
		got, want := rows(t, filepath.Join(gotOut, sink)), rows(t, filepath.Join(wantOut, sink))
		if len(want) < 2 || strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("%s: %d rows after the loss, %d undisturbed", sink, len(got), len(want))
		}
	}
}

// maskedStage finds the stage running piimask.mask and a stage reading it.
func maskedStage(t *testing.T, g *stage.Graph) (masked, consumer int) {
	t.Helper()
	for _, st := range g.Stages {
		if st.Output != nil && hasTransform(st.Root, "piimask.mask") {
			for _, c := range g.Stages {
				for _, p := range c.Parents {
					if p == st.ID && c.Partitions >= 2 {
						return st.ID, c.ID
					}
				}
			}
		}
	}
	t.Fatal("no stage runs piimask.mask into a shuffle with a multi-task reader")
	return 0, 0
}

func hasTransform(n *physical.Node, fn string) bool {
	if n.Op == physical.OpTransform && n.Transform.Function == fn {
		return true
	}
	for _, in := range n.Inputs {
		if hasTransform(in, fn) {
			return true
		}
	}
	return false
}

// losingExec deletes the map output `lost` once the consumer stage's task
// 0 has finished reading it, holding the consumer's other tasks until then.
type losingExec struct {
	task.Executor
	consumer int
	lost     string
	deleted  chan struct{}
	once     sync.Once
	mu       sync.Mutex
	ran      map[[2]int]int
}

func (l *losingExec) Run(ctx context.Context, spec *task.Spec) (*task.Result, error) {
	l.mu.Lock()
	l.ran[[2]int{spec.Stage, spec.Partition}]++
	l.mu.Unlock()
	if spec.Stage == l.consumer && spec.Partition != 0 {
		select {
		case <-l.deleted:
		case <-time.After(time.Minute):
			return nil, fmt.Errorf("consumer task 0 never finished")
		}
	}
	res, err := l.Executor.Run(ctx, spec)
	if err == nil && spec.Stage == l.consumer && spec.Partition == 0 {
		l.once.Do(func() {
			os.Remove(l.lost)
			close(l.deleted)
		})
	}
	return res, err
}

func (l *losingExec) runs(stageID, p int) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.ran[[2]int{stageID, p}]
}

// rows reads a sink's rows, sorted: Parquet rows as maps, CSV lines.
func rows(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	for _, r := range e2eutil.ReadParquetDir(t, dir) {
		out = append(out, fmt.Sprint(r))
	}
	for _, rel := range e2eutil.VisibleFiles(t, dir) {
		if strings.HasSuffix(rel, ".csv") {
			b, err := os.ReadFile(filepath.Join(dir, rel))
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, strings.Split(strings.TrimSpace(string(b)), "\n")...)
		}
	}
	sort.Strings(out)
	return out
}
