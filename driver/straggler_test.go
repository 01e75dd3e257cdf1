package driver_test

import (
	"context"
	"errors"
	"github.com/drover-etl/drover/adaptive"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/drover-etl/drover/driver"
	"github.com/drover-etl/drover/engine"
	"github.com/drover-etl/drover/executor"
	_ "github.com/drover-etl/drover/format/csv"
	_ "github.com/drover-etl/drover/format/parquet"
	"github.com/drover-etl/drover/sampledata"
	"github.com/drover-etl/drover/stage"
	_ "github.com/drover-etl/drover/storage/local"
	"github.com/drover-etl/drover/task"
)

// stragglerJob: a map stage over the daily CSV files, an aggregation
// shuffle, and a CSV sink written by several tasks.
const stragglerJob = `
variable "data" {}
variable "out" {}
job "straggler" {
  source "orders" {
    format = "csv"
    path   = "${var.data}/orders/day=*/*.csv"
    schema = { order_id = "int64", customer_id = "int64", status = "string", amount = "decimal(10,2)", note = "string", ordered_at = "timestamp" }
  }
  view "by_customer" {
    sql = "SELECT customer_id, status, count(*) AS n, sum(amount) AS total FROM orders GROUP BY customer_id, status"
  }
  sink "out" {
    from   = "by_customer"
    format = "csv"
    path   = "${var.out}/"
    mode   = "overwrite"
  }
}
`

// holdExec is executor.Local with a test hook: the attempts hold picks
// wait until they are cancelled (a straggler or a hung task). Once
// cancelled, a held attempt may still run to success, as a zombie that
// ignored the cancellation would.
type holdExec struct {
	*executor.Local
	hold      func(spec *task.Spec) bool
	zombie    bool
	cancelled atomic.Int64
	late      atomic.Int64 // zombies that succeeded after their cancellation
}

func (h *holdExec) Run(ctx context.Context, spec *task.Spec) (*task.Result, error) {
	if h.hold(spec) {
		<-ctx.Done()
		h.cancelled.Add(1)
		if !h.zombie {
			return nil, task.AsRetryable(context.Cause(ctx))
		}
		res, err := h.Local.Run(context.WithoutCancel(ctx), spec)
		if err == nil {
			h.late.Add(1)
		}
		return res, err
	}
	return h.Local.Run(ctx, spec)
}

// events records the progress events the tests check.
type events struct {
	mu         sync.Mutex
	retries    []error
	speculated []task.ID
	winners    []task.ID
}

func (e *events) StageStarted(int, int, string)              {}
func (e *events) TaskDone(int, task.Metrics)                 {}
func (e *events) Recompute(int, int, error)                  {}
func (e *events) StageDone(int, task.Metrics, time.Duration) {}
func (e *events) TaskRetry(_ task.ID, err error) {
	e.mu.Lock()
	e.retries = append(e.retries, err)
	e.mu.Unlock()
}
func (e *events) TaskSpeculated(copy, _ task.ID, _, _ time.Duration) {
	e.mu.Lock()
	e.speculated = append(e.speculated, copy)
	e.mu.Unlock()
}
func (e *events) SpeculationDecided(winner, _ task.ID) {
	e.mu.Lock()
	e.winners = append(e.winners, winner)
	e.mu.Unlock()
}

type stragglerEnv struct {
	dir, data string
}

func newStragglerEnv(t *testing.T) *stragglerEnv {
	t.Helper()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if _, err := sampledata.Generate(context.Background(), sampledata.Config{Dir: data, Customers: 100, OrdersPerDay: 500, Days: 3, End: "2026-11-20", Seed: 3}); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "job.hcl"), []byte(stragglerJob), 0o644)
	return &stragglerEnv{dir: dir, data: data}
}

func (e *stragglerEnv) compile(t *testing.T, out string) *engine.Compiled {
	t.Helper()
	c, err := engine.Compile(context.Background(), filepath.Join(e.dir, "job.hcl"), engine.Options{Parallelism: 4, Partitions: 4,
		Vars: map[string]string{"data": e.data, "out": filepath.Join(e.dir, out)}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// outputOf lists the visible files under out and their sorted lines.
func (e *stragglerEnv) outputOf(t *testing.T, out string) (files int, lines []string) {
	t.Helper()
	root := filepath.Join(e.dir, out)
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && d.Name() == "_staging" {
			t.Errorf("staging directory left behind: %s", p)
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), "_") {
			return nil
		}
		b, _ := os.ReadFile(p)
		files++
		lines = append(lines, strings.Split(strings.TrimSpace(string(b)), "\n")...)
		return nil
	})
	sort.Strings(lines)
	return files, lines
}

// pickStage chooses the map stage (first) or the sink stage.
func pickStage(t *testing.T, g *stage.Graph, sink bool) *stage.Stage {
	t.Helper()
	for _, st := range g.Stages {
		if st.IsSink() == sink && st.Partitions >= 2 {
			return st
		}
	}
	t.Fatalf("no %v stage with 2 or more tasks in\n%s", sink, g.Format())
	return nil
}

// fixedTasks keeps one task per partition (adaptive execution would
// coalesce this small job into one task, leaving nothing to speculate).
var fixedTasks = adaptive.Config{Disabled: true}

// TestStragglerIsSpeculated holds one task's first attempt until it is
// cancelled: the job can only finish through a speculative copy. The
// output must equal an undisturbed run's, file for file, and the held
// attempt must have been cancelled. In the sink case the held attempt
// then still writes and succeeds (a zombie), and its files must not be
// committed or left behind.
func TestStragglerIsSpeculated(t *testing.T) {
	env := newStragglerEnv(t)
	c := env.compile(t, "want")
	if _, err := engine.Run(context.Background(), c, executor.NewLocal(&executor.Runtime{Name: "local"}, 2), engine.RunOptions{Adaptive: fixedTasks}); err != nil {
		t.Fatal(err)
	}
	wantFiles, want := env.outputOf(t, "want")
	if wantFiles < 2 || len(want) == 0 {
		t.Fatalf("the undisturbed run wrote %d files, %d lines", wantFiles, len(want))
	}
	for _, tc := range []struct {
		name   string
		sink   bool
		zombie bool
	}{
		{"map task", false, false},
		{"sink task, late success of the loser", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := strings.ReplaceAll(tc.name, " ", "_")
			c := env.compile(t, out)
			st := pickStage(t, c.Stages, tc.sink)
			ex := &holdExec{Local: executor.NewLocal(&executor.Runtime{Name: "local"}, 2), zombie: tc.zombie,
				hold: func(spec *task.Spec) bool { return spec.Stage == st.ID && spec.Partition == 1 && spec.Attempt == 0 }}
			ev := &events{}
			sum, err := engine.Run(context.Background(), c, ex, engine.RunOptions{Progress: ev, Adaptive: fixedTasks,
				Speculation: driver.Speculation{Enabled: true, MinRuntime: time.Millisecond, Interval: 5 * time.Millisecond}})
			if err != nil {
				t.Fatal(err)
			}
			files, got := env.outputOf(t, out)
			if strings.Join(got, "\n") != strings.Join(want, "\n") || files != wantFiles {
				t.Fatalf("output with a straggler (%d files):\n%s\nwant (%d files):\n%s", files, strings.Join(got, "\n"), wantFiles, strings.Join(want, "\n"))
			}
			if ex.cancelled.Load() != 1 {
				t.Errorf("the straggling attempt was cancelled %d times, want 1", ex.cancelled.Load())
			}
			if tc.zombie && ex.late.Load() != 1 {
				t.Errorf("the cancelled sink attempt did not finish late (%d), so its files were never at risk", ex.late.Load())
			}
			var ss driver.StageStats
			for _, s := range sum.Stages {
				if s.ID == st.ID {
					ss = s
				}
			}
			// Other tasks may be copied too (the minimum runtime is tiny);
			// the held one must have been, and its copy must have won.
			if ss.Speculated < 1 || ss.SpeculativeWins < 1 {
				t.Errorf("stage %d: %d speculative copies, %d won; want at least 1 of each", st.ID, ss.Speculated, ss.SpeculativeWins)
			}
			held := 0
			for _, w := range ev.winners {
				if w.Stage == st.ID && w.Partition == 1 {
					held++
					if w.Attempt == 0 {
						t.Errorf("the held attempt %s won", w)
					}
				}
			}
			if held != 1 {
				t.Errorf("speculation winners %v: want one for task %d.1", ev.winners, st.ID)
			}
			if len(ev.retries) != 0 {
				t.Errorf("a speculated task counted as failed: %v", ev.retries)
			}
		})
	}
}

// TestHungTaskTimesOutAndIsRetried: a task whose first attempt hangs is
// cancelled at the task timeout and retried; the output is exact.
func TestHungTaskTimesOutAndIsRetried(t *testing.T) {
	env := newStragglerEnv(t)
	c := env.compile(t, "want")
	if _, err := engine.Run(context.Background(), c, executor.NewLocal(&executor.Runtime{Name: "local"}, 2), engine.RunOptions{Adaptive: fixedTasks}); err != nil {
		t.Fatal(err)
	}
	wantFiles, want := env.outputOf(t, "want")

	c = env.compile(t, "got")
	st := pickStage(t, c.Stages, true)
	ex := &holdExec{Local: executor.NewLocal(&executor.Runtime{Name: "local"}, 2),
		hold: func(spec *task.Spec) bool { return spec.Stage == st.ID && spec.Partition == 0 && spec.Attempt == 0 }}
	ev := &events{}
	sum, err := engine.Run(context.Background(), c, ex, engine.RunOptions{Progress: ev, Adaptive: fixedTasks, TaskTimeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	files, got := env.outputOf(t, "got")
	if strings.Join(got, "\n") != strings.Join(want, "\n") || files != wantFiles {
		t.Fatalf("output after a timeout (%d files):\n%s\nwant (%d files):\n%s", files, strings.Join(got, "\n"), wantFiles, strings.Join(want, "\n"))
	}
	if ex.cancelled.Load() != 1 {
		t.Errorf("the hung attempt was cancelled %d times, want 1", ex.cancelled.Load())
	}
	var timeouts []error
	for _, err := range ev.retries {
		if errors.Is(err, driver.ErrTaskTimedOut) {
			timeouts = append(timeouts, err)
		}
	}
	// On a slow machine another attempt may time out too; the held one
	// must have, as a retryable failure naming it.
	wantMsg := "task " + strconv.Itoa(st.ID) + ".0 attempt 0 timed out after 3s on executor "
	held := 0
	for _, err := range timeouts {
		if strings.Contains(err.Error(), wantMsg) && task.ClassOf(err) == task.Retryable {
			held++
		}
	}
	if held != 1 {
		t.Errorf("timeout retries %v: want one retryable error containing %q", timeouts, wantMsg)
	}
	for _, s := range sum.Stages {
		if s.ID == st.ID && s.Attempts < s.Tasks+1 {
			t.Errorf("stage %d: %d attempts for %d tasks, want a retry", st.ID, s.Attempts, s.Tasks)
		}
	}
}
