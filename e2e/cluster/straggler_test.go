package cluster

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/drover-etl/drover/cluster"
	"github.com/drover-etl/drover/driver"
	"github.com/drover-etl/drover/engine"
	"github.com/drover-etl/drover/executor"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/task"
)

// specRecorder keeps the speculation events of a run.
type specRecorder struct {
	recorder
	mu      sync.Mutex
	winners []task.ID
}

func (r *specRecorder) TaskSpeculated(task.ID, task.ID, time.Duration, time.Duration) {}
func (r *specRecorder) SpeculationDecided(winner, _ task.ID) {
	r.mu.Lock()
	r.winners = append(r.winners, winner)
	r.mu.Unlock()
}

// TestStragglerSpeculatedOnCluster: both Nomad executors hold the first
// attempt of every stage's partition 1 far longer than the test may run
// (--chaos-task-delay-partition), so only a speculative copy on the other
// executor lets the job finish. The output must equal the local run's,
// each held attempt must have been stopped through the executors' Cancel
// RPC (drover_executor_cancel_requests_total), and no upload or shuffle
// object may be left.
func TestStragglerSpeculatedOnCluster(t *testing.T) {
	e := setup(t)
	genDemo(t)
	ctx := context.Background()

	local := compile(t, "spec-local")
	if _, err := engine.Run(ctx, local, executor.NewLocal(&executor.Runtime{Name: "local"}, 2), engine.RunOptions{ShuffleDir: "s3://shuffle/spec-local"}); err != nil {
		t.Fatal(err)
	}
	want := readAll(t, "s3://out/spec-local/")

	c := compile(t, "spec-cluster")
	run := engine.NewRunID()
	cl, err := cluster.Start(ctx, cluster.Config{Executors: 2, SlotsPerExecutor: 2, Binary: e.binary, CPU: 100, MemoryMB: 256,
		Env: e.s3Env(), Secrets: e.s3Secrets(), ExtraArgs: []string{"--chaos-task-delay", "1h", "--chaos-task-delay-partition", "1"}}, c.Job.Name, run)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close(context.Background())
	waitLive(t, cl, 2)
	rec := &specRecorder{}
	sum, err := engine.Run(ctx, c, cl.Executor(), engine.RunOptions{ShuffleDir: "s3://shuffle/spec-cluster", Run: run, Progress: rec,
		Speculation: driver.Speculation{Enabled: true, MinRuntime: 3 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	got := readAll(t, "s3://out/spec-cluster/")
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("cluster output with stragglers differs from local:\n%s\nvs\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	held := 0
	for _, st := range sum.Stages {
		if st.Tasks < 2 {
			continue // no partition 1, nothing held
		}
		held++
		if st.SpeculativeWins < 1 {
			t.Errorf("stage %d: no speculative copy won, but its task 1 was held", st.ID)
		}
	}
	// A busy machine may make other tasks slow enough to copy too; each
	// held task must have been beaten by its copy.
	won := map[int]int{}
	for _, w := range rec.winners {
		if w.Partition == 1 {
			won[w.Stage]++
			if w.Attempt == 0 {
				t.Errorf("held attempt %s won", w)
			}
		}
	}
	if held == 0 || len(won) != held {
		t.Errorf("%d stages held a task; speculation winners: %v", held, rec.winners)
	}
	var cancels float64
	for _, url := range metricsTargets(t, cl.JobID) {
		cancels += max(sample(get(t, url), "drover_executor_cancel_requests_total"), 0)
	}
	if cancels < float64(held) {
		t.Errorf("executors received %v Cancel calls for running tasks, want at least %d (one per held attempt)", cancels, held)
	}
	t.Logf("%d stages held a task; copies won: %v; Cancel calls on executors: %v", held, rec.winners, cancels)
	noUploads(t, e.minio, "")
	if left, _ := storage.Expand(ctx, "s3://shuffle/spec-cluster/"+run+"/"); len(left) > 0 {
		t.Errorf("shuffle files left behind: %d", len(left))
	}
}

// TestHungTaskTimesOutOnCluster: with speculation off, the held first
// attempts hang until --task-timeout; each is cancelled on its executor
// through Cancel and retried, its error naming the executor, and the
// output equals the local run's.
func TestHungTaskTimesOutOnCluster(t *testing.T) {
	e := setup(t)
	genDemo(t)
	ctx := context.Background()

	local := compile(t, "hung-local")
	if _, err := engine.Run(ctx, local, executor.NewLocal(&executor.Runtime{Name: "local"}, 2), engine.RunOptions{ShuffleDir: "s3://shuffle/hung-local"}); err != nil {
		t.Fatal(err)
	}
	want := readAll(t, "s3://out/hung-local/")

	c := compile(t, "hung-cluster")
	run := engine.NewRunID()
	cl, err := cluster.Start(ctx, cluster.Config{Executors: 2, SlotsPerExecutor: 2, Binary: e.binary, CPU: 100, MemoryMB: 256,
		Env: e.s3Env(), Secrets: e.s3Secrets(), ExtraArgs: []string{"--chaos-task-delay", "1h", "--chaos-task-delay-partition", "1"}}, c.Job.Name, run)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close(context.Background())
	waitLive(t, cl, 2)
	rec := &recorder{}
	sum, err := engine.Run(ctx, c, cl.Executor(), engine.RunOptions{ShuffleDir: "s3://shuffle/hung-cluster", Run: run, Progress: rec,
		TaskTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	got := readAll(t, "s3://out/hung-cluster/")
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("cluster output after timeouts differs from local:\n%s\nvs\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	timedOut := map[int]bool{}
	for _, r := range rec.retried {
		// "2.1.0: task 2.1 attempt 0 timed out after 5s on executor 127.0.0.1:…"
		var st int
		if _, err := fmt.Sscanf(r, "%d.1.0: task ", &st); err == nil && strings.Contains(r, " attempt 0 timed out after 5s on executor 127.0.0.1:") {
			timedOut[st] = true
		}
	}
	held := 0
	for _, st := range sum.Stages {
		if st.Tasks < 2 {
			continue
		}
		held++
		if !timedOut[st.ID] {
			t.Errorf("stage %d: its held task 1 did not time out; retries: %v", st.ID, rec.retried)
		}
	}
	var cancels float64
	for _, url := range metricsTargets(t, cl.JobID) {
		cancels += max(sample(get(t, url), "drover_executor_cancel_requests_total"), 0)
	}
	t.Logf("%d stages held a task; retries: %v; Cancel calls on executors: %v", held, rec.retried, cancels)
	if held == 0 || cancels < float64(held) {
		t.Errorf("executors received %v Cancel calls for running tasks, want at least %d (one per timed-out attempt)", cancels, held)
	}
}
