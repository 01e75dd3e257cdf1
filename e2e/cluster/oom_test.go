package cluster

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/drover-etl/drover/cluster"
	"github.com/drover-etl/drover/driver"
	"github.com/drover-etl/drover/engine"
	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/remote"
	"github.com/drover-etl/drover/task"
)

// TestOOMKilledExecutorCountsAgainstAttempts runs executors under Nomad's
// exec driver (which enforces the memory limit in a cgroup and reports
// OOM kills) with 100 MB each, and has every task allocate 1 GiB first
// (--chaos-task-hog). The kernel kills the executor; the driver must say
// so — executor, Nomad, the memory, the stage and task — and count it
// against the task's attempts, so the job fails after MaxAttempts instead
// of retrying the lost executor over and over.
func TestOOMKilledExecutorCountsAgainstAttempts(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "x.csv"), []byte("a\n1\n2\n3\n"), 0o644)
	upload(t, dir, "s3://data/oom")

	// The exec driver runs the executor in a chroot that cannot see the
	// binary's host path: Nomad downloads it as an artifact instead.
	art := t.TempDir()
	cmd := exec.Command("tar", "-czf", filepath.Join(art, "drover.tar.gz"), "-C", filepath.Dir(e.binary), filepath.Base(e.binary))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tar: %v\n%s", err, out)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(art)))
	defer srv.Close()

	job := filepath.Join(t.TempDir(), "job.hcl")
	os.WriteFile(job, []byte(`
job "oom" {
  source "s" {
    format = "csv"
    path   = "s3://data/oom/*.csv"
    schema = { a = "int64" }
  }
  sink "o" {
    from   = "s"
    format = "csv"
    path   = "s3://out/oom/"
  }
}`), 0o644)
	c, err := engine.Compile(ctx, job, engine.Options{Parallelism: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	run := engine.NewRunID()
	cl, err := cluster.Start(ctx, cluster.Config{Executors: 1, SlotsPerExecutor: 1, Driver: "exec", ArtifactURL: srv.URL + "/drover.tar.gz",
		CPU: 100, MemoryMB: 100, HealthyTimeout: 90 * time.Second, Env: e.s3Env(), Secrets: e.s3Secrets(),
		ExtraArgs: []string{"--chaos-task-hog", "1073741824"}}, c.Job.Name, run)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close(context.Background())
	checkBudget(t, cl, memory.Budget(100<<20))

	rec := &recorder{}
	_, err = driver.Run(ctx, c.Stages, driver.Config{Job: c.Job.Name, Run: run, Executor: cl.Executor(),
		ShuffleDir: "s3://shuffle/oom/" + run, Progress: rec, MaxAttempts: 2})
	if err == nil {
		t.Fatal("a job whose every task outgrows its executor succeeded")
	}
	t.Logf("job error: %v; retried: %v", err, rec.retried)
	for _, want := range []string{"was OOM-killed by Nomad (memory 100 MB) while running stage 0 task 0", "failed 2 times", "--executor-memory"} {
		if !strings.Contains(err.Error(), want) {
			t.Fatalf("job error does not say %q: %v", want, err)
		}
	}
	if !errors.Is(err, task.ErrOOMKilled) || errors.Is(err, task.ErrExecutorLost) {
		t.Fatalf("want ErrOOMKilled (not an executor loss), got %v", err)
	}
	if len(rec.retried) != 1 || !strings.Contains(rec.retried[0], "OOM-killed") {
		t.Fatalf("want one retry after the first OOM kill, got %v", rec.retried)
	}
	if err := cl.Close(ctx); err != nil {
		t.Fatal(err)
	}
	assertNoDroverJobsEnv(t)
}

// checkBudget asks every live executor for its memory budget: the share
// of its Nomad memory (NOMAD_MEMORY_LIMIT) the pool may hand out.
func checkBudget(t *testing.T, cl *cluster.Cluster, want int64) {
	t.Helper()
	live := cl.Pool().Live()
	if len(live) == 0 {
		t.Fatal("no live executor")
	}
	for _, addr := range live {
		c, err := remote.Dial(addr, cl.Pool().Auth)
		if err != nil {
			t.Fatal(err)
		}
		st, err := c.Status(context.Background())
		c.Close()
		if err != nil {
			t.Fatal(err)
		}
		if st.Memory != want || st.MemoryHeld != 0 {
			t.Fatalf("executor %s: budget %d bytes (%d held), want %d (60%% of its 100 MB)", addr, st.Memory, st.MemoryHeld, want)
		}
	}
}
