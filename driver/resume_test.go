package driver_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/drover-etl/drover/driver"
	"github.com/drover-etl/drover/engine"
	"github.com/drover-etl/drover/eventlog"
	"github.com/drover-etl/drover/executor"
	_ "github.com/drover-etl/drover/format/csv"
	_ "github.com/drover-etl/drover/format/parquet"
	"github.com/drover-etl/drover/internal/e2eutil"
	"github.com/drover-etl/drover/journal"
	"github.com/drover-etl/drover/sampledata"
	"github.com/drover-etl/drover/stage"
	_ "github.com/drover-etl/drover/storage/local"
	"github.com/drover-etl/drover/task"
)

// countingExec counts the attempts it runs per task.
type countingExec struct {
	task.Executor
	mu  sync.Mutex
	ran map[journal.TaskKey]int
}

func (c *countingExec) Run(ctx context.Context, spec *task.Spec) (*task.Result, error) {
	c.mu.Lock()
	c.ran[journal.TaskKey{Stage: spec.Stage, Partition: spec.Partition}]++
	c.mu.Unlock()
	return c.Executor.Run(ctx, spec)
}

// resumeJob compiles the demo job (a join, aggregations, a range-
// partitioned sort, two sinks) writing under out.
func resumeJob(t *testing.T, data, out string) *engine.Compiled {
	t.Helper()
	job := filepath.Join(e2eutil.RepoRoot(t), "jobs", "daily_revenue.hcl")
	c, err := engine.Compile(context.Background(), job, engine.Options{Parallelism: 4, Partitions: 4, BroadcastThresholdBytes: -1,
		Vars: map[string]string{"data": data, "out": out}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// output reads both sinks as sorted row texts.
func output(t *testing.T, out string) string {
	t.Helper()
	var rows []string
	for _, r := range e2eutil.ReadParquetDir(t, filepath.Join(out, "revenue")) {
		rows = append(rows, fmt.Sprint(r))
	}
	for _, rel := range e2eutil.VisibleFiles(t, filepath.Join(out, "top_customers")) {
		b, err := os.ReadFile(filepath.Join(out, "top_customers", rel))
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, strings.Split(strings.TrimSpace(string(b)), "\n")...)
	}
	sort.Strings(rows)
	if len(rows) < 10 {
		t.Fatalf("output %s has only %d rows", out, len(rows))
	}
	return strings.Join(rows, "\n")
}

// firstMapStage is a map stage with several tasks.
func firstMapStage(t *testing.T, g *stage.Graph) int {
	for _, st := range g.Stages {
		if st.Output != nil && st.Partitions >= 2 {
			return st.ID
		}
	}
	t.Fatal("the job has no map stage with two tasks")
	return -1
}

// TestResumeAfterDriverKill kills the driver (FaultHook: no cleanup, as a
// SIGKILL leaves it) mid map stage, between stages, before a sink's commit
// and between two sinks' commits; the resumed run's output equals an
// uninterrupted run's, and no task journaled before the kill runs again.
func TestResumeAfterDriverKill(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the demo job several times")
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if _, err := sampledata.Generate(context.Background(), sampledata.Config{Dir: data, Customers: 200, OrdersPerDay: 2000, Days: 2, End: "2026-11-20", Seed: 5}); err != nil {
		t.Fatal(err)
	}
	local := executor.NewLocal(&executor.Runtime{Name: "resume", TempDir: t.TempDir()}, 3)
	want := func() string {
		out := filepath.Join(dir, "want")
		if _, err := engine.Run(context.Background(), resumeJob(t, data, out), local, engine.RunOptions{}); err != nil {
			t.Fatal(err)
		}
		return output(t, out)
	}()
	mapStage := firstMapStage(t, resumeJob(t, data, filepath.Join(dir, "probe")).Stages)
	cases := []struct {
		name string
		// kill says whether the driver dies at point, the n-th point of
		// its kind so far (tasks: of the same stage).
		kill func(point string, n int) bool
	}{
		{"mid map stage", func(p string, n int) bool { return strings.HasPrefix(p, fmt.Sprintf("task %d.", mapStage)) && n == 2 }},
		{"between stages", func(p string, _ int) bool { return p == fmt.Sprintf("stage %d", mapStage) }},
		{"before a commit", func(p string, _ int) bool { return p == "commit revenue" }},
		{"between commits", func(p string, _ int) bool { return p == "committed revenue" }},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, fmt.Sprintf("out%d", i))
			shuffle := filepath.Join(dir, fmt.Sprintf("shuffle%d", i))
			run := fmt.Sprintf("resume-%d", i)
			var mu sync.Mutex
			seen := map[string]int{}
			journaled := map[journal.TaskKey]bool{}
			hook := func(point string) bool {
				mu.Lock()
				defer mu.Unlock()
				kind, _, _ := strings.Cut(point, " ")
				if kind == "task" {
					var k journal.TaskKey
					fmt.Sscanf(point, "task %d.%d", &k.Stage, &k.Partition)
					journaled[k] = true
					kind = fmt.Sprintf("task %d", k.Stage)
				}
				seen[kind]++
				return tc.kill(point, seen[kind])
			}
			_, err := engine.Run(context.Background(), resumeJob(t, data, out), local,
				engine.RunOptions{ShuffleDir: shuffle, Run: run, FaultHook: hook})
			if err == nil || !strings.Contains(err.Error(), "fault injection") {
				t.Fatalf("the first driver was not killed: %v", err)
			}
			if len(journaled) == 0 {
				t.Fatal("the first driver finished no task")
			}
			// Resuming without --resume is refused; a new run ID would not be.
			if _, err := engine.Run(context.Background(), resumeJob(t, data, out), local,
				engine.RunOptions{ShuffleDir: shuffle, Run: run}); err == nil || !strings.Contains(err.Error(), "already has a journal") {
				t.Fatalf("starting the run again without resume: %v", err)
			}
			counter := &countingExec{Executor: local, ran: map[journal.TaskKey]int{}}
			var evMu sync.Mutex
			var events []eventlog.Event
			rec := eventlog.NewRecorder(nil, func(ev eventlog.Event) { evMu.Lock(); events = append(events, ev); evMu.Unlock() })
			sum, err := engine.Run(context.Background(), resumeJob(t, data, out), counter,
				engine.RunOptions{ShuffleDir: shuffle, Run: run, Resume: driver.ResumeRequired, Progress: rec, Observer: rec})
			if err != nil {
				t.Fatalf("resume: %v", err)
			}
			for k := range journaled {
				if n := counter.ran[k]; n > 0 {
					t.Errorf("task %d.%d finished before the kill but ran %d more times", k.Stage, k.Partition, n)
				}
			}
			// The journaled tasks are reported done, reused: in the event
			// log (task_end marked reused, no task_start) and the summary.
			reused, started := map[journal.TaskKey]bool{}, map[journal.TaskKey]bool{}
			for _, ev := range events {
				if ev.Task == nil || ev.Task.Sample {
					continue
				}
				k := journal.TaskKey{Stage: ev.Task.Stage, Partition: ev.Task.Partition}
				switch {
				case ev.Type == eventlog.TaskEnd && ev.Task.Reused:
					if ev.Task.Status != eventlog.StatusSucceeded || ev.Task.Metrics["rows_out"] == 0 && ev.Task.Metrics["duration"] == 0 {
						t.Errorf("reused task %d.%d: %+v", k.Stage, k.Partition, ev.Task)
					}
					reused[k] = true
				case ev.Type == eventlog.TaskStart:
					started[k] = true
				}
			}
			nReused := 0
			for _, st := range sum.Stages {
				nReused += st.Reused
			}
			if len(reused) != len(journaled) || nReused != len(journaled) {
				t.Errorf("%d tasks reported reused, summary counts %d, %d were journaled", len(reused), nReused, len(journaled))
			}
			for k := range journaled {
				if !reused[k] || started[k] {
					t.Errorf("journaled task %d.%d: reused %v, started %v", k.Stage, k.Partition, reused[k], started[k])
				}
			}
			if got := output(t, out); got != want {
				t.Fatalf("resumed output differs:\n%s\nwant\n%s", got, want)
			}
			if left, _ := os.ReadDir(filepath.Join(shuffle, run)); len(left) != 0 {
				t.Errorf("the resumed run left %d entries in its shuffle directory", len(left))
			}
		})
	}
}

// TestResumeRefusesAChangedPlan: the journal belongs to one plan; a resume
// with different inputs or spec is refused, not silently mixed.
func TestResumeRefusesAChangedPlan(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the demo job")
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if _, err := sampledata.Generate(context.Background(), sampledata.Config{Dir: data, Customers: 50, OrdersPerDay: 200, Days: 2, End: "2026-11-20", Seed: 5}); err != nil {
		t.Fatal(err)
	}
	local := executor.NewLocal(&executor.Runtime{Name: "resume", TempDir: t.TempDir()}, 2)
	shuffle := filepath.Join(dir, "shuffle")
	kill := func(p string) bool { return strings.HasPrefix(p, "stage") }
	if _, err := engine.Run(context.Background(), resumeJob(t, data, filepath.Join(dir, "out")), local,
		engine.RunOptions{ShuffleDir: shuffle, Run: "r", FaultHook: kill}); err == nil {
		t.Fatal("the first driver was not killed")
	}
	_, err := engine.Run(context.Background(), resumeJob(t, data, filepath.Join(dir, "elsewhere")), local,
		engine.RunOptions{ShuffleDir: shuffle, Run: "r", Resume: driver.ResumeRequired})
	if !errors.Is(err, journal.ErrPlanChanged) {
		t.Fatalf("resume with another output path: %v", err)
	}
	_, err = engine.Run(context.Background(), resumeJob(t, data, filepath.Join(dir, "out")), local,
		engine.RunOptions{ShuffleDir: shuffle, Run: "other", Resume: driver.ResumeRequired})
	if !errors.Is(err, journal.ErrNoJournal) {
		t.Fatalf("resume of a run without a journal: %v", err)
	}
}

// nowJob reads the demo orders and uses current_date, now() and
// current_timestamp, which are literals of the instant the job is planned at.
const nowJob = `
variable "data" {}
variable "out" {}
job "now-resume" {
  source "orders" {
    format = "csv"
    path   = "${var.data}/orders/day=*/*.csv"
    schema = { order_id = "int64", customer_id = "int64", status = "string", amount = "decimal(10,2)", note = "string", ordered_at = "timestamp" }
  }
  view "aged" {
    sql = <<-SQL
      SELECT customer_id, count(*) AS orders, sum(amount) AS spent,
             max(datediff(current_date(), CAST(ordered_at AS DATE))) AS oldest_days,
             CAST(current_date() AS VARCHAR) AS today, CAST(now() AS VARCHAR) AS planned_at
      FROM orders
      WHERE ordered_at < current_timestamp()
      GROUP BY customer_id
    SQL
  }
  sink "aged" {
    from   = "aged"
    format = "csv"
    path   = "${var.out}/aged/"
    mode   = "overwrite"
  }
}
`

// TestResumeJobCallingNow: a job using current_date and now() is killed
// mid map stage and resumed. Planned again at a new instant its plan
// differs and the resume is refused; planned at the journaled instant
// (engine.ResumePlanTime, as drover submit does) it resumes, no task
// journaled before the kill runs again, and the output equals an
// uninterrupted run's planned at that instant.
func TestResumeJobCallingNow(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if _, err := sampledata.Generate(ctx, sampledata.Config{Dir: data, Customers: 100, OrdersPerDay: 500, Days: 3, End: "2026-11-20", Seed: 7}); err != nil {
		t.Fatal(err)
	}
	jobFile := filepath.Join(dir, "now.hcl")
	if err := os.WriteFile(jobFile, []byte(nowJob), 0o644); err != nil {
		t.Fatal(err)
	}
	compile := func(out string, at time.Time) *engine.Compiled {
		t.Helper()
		c, err := engine.Compile(ctx, jobFile, engine.Options{Parallelism: 3, Partitions: 4, PlanTime: at,
			Vars: map[string]string{"data": data, "out": out}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	read := func(out string) string {
		t.Helper()
		var rows []string
		for _, rel := range e2eutil.VisibleFiles(t, filepath.Join(out, "aged")) {
			for _, r := range e2eutil.ReadCSV(t, filepath.Join(out, "aged", rel))[1:] {
				rows = append(rows, strings.Join(r, ","))
			}
		}
		sort.Strings(rows)
		if len(rows) < 50 {
			t.Fatalf("output %s has only %d rows", out, len(rows))
		}
		return strings.Join(rows, "\n")
	}
	local := executor.NewLocal(&executor.Runtime{Name: "resume-now", TempDir: t.TempDir()}, 3)
	out, shuffle, run := filepath.Join(dir, "out"), filepath.Join(dir, "shuffle"), "now-1"

	first := compile(out, time.Time{})
	planned := first.PlanTime
	mapStage := firstMapStage(t, first.Stages)
	var mu sync.Mutex
	journaled := map[journal.TaskKey]bool{}
	kill := func(point string) bool {
		mu.Lock()
		defer mu.Unlock()
		var k journal.TaskKey
		if n, _ := fmt.Sscanf(point, "task %d.%d", &k.Stage, &k.Partition); n == 2 {
			journaled[k] = true
			return k.Stage == mapStage && len(journaled) == 2
		}
		return false
	}
	if _, err := engine.Run(ctx, first, local, engine.RunOptions{ShuffleDir: shuffle, Run: run, FaultHook: kill}); err == nil || !strings.Contains(err.Error(), "fault injection") {
		t.Fatalf("the first driver was not killed: %v", err)
	}

	// Planned at another instant, the literals differ: refused, untouched.
	_, err := engine.Run(ctx, compile(out, planned.Add(time.Second)), local, engine.RunOptions{ShuffleDir: shuffle, Run: run, Resume: driver.ResumeRequired})
	if !errors.Is(err, journal.ErrPlanChanged) || !strings.Contains(err.Error(), "not the journaled") {
		t.Fatalf("a resume planned at another instant: %v", err)
	}

	at, err := engine.ResumePlanTime(ctx, shuffle, run, driver.ResumeRequired)
	if err != nil || !at.Equal(planned) {
		t.Fatalf("ResumePlanTime = %s, %v; want the first driver's %s", at, err, planned)
	}
	counter := &countingExec{Executor: local, ran: map[journal.TaskKey]int{}}
	if _, err := engine.Run(ctx, compile(out, at), counter, engine.RunOptions{ShuffleDir: shuffle, Run: run, Resume: driver.ResumeRequired}); err != nil {
		t.Fatalf("resume: %v", err)
	}
	for k := range journaled {
		if n := counter.ran[k]; n > 0 {
			t.Errorf("task %d.%d finished before the kill but ran %d more times", k.Stage, k.Partition, n)
		}
	}
	if len(counter.ran) == 0 {
		t.Error("the resumed driver ran no task")
	}

	want := filepath.Join(dir, "want")
	if _, err := engine.Run(ctx, compile(want, planned), local, engine.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	got := read(out)
	if got != read(want) {
		t.Fatalf("resumed output differs from a run planned at the same instant:\n%s\nwant\n%s", got, read(want))
	}
	if !strings.Contains(got, ","+planned.Format("2006-01-02")+",") {
		t.Errorf("the output does not hold the planning date %s:\n%.300s", planned.Format("2006-01-02"), got)
	}
}
