package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	consul "github.com/hashicorp/consul/api"
	"github.com/minio/minio-go/v7"

	"github.com/drover-etl/drover/commit"
	"github.com/drover-etl/drover/driver"
	"github.com/drover-etl/drover/engine"
	"github.com/drover-etl/drover/executor"
	"github.com/drover-etl/drover/gc"
	"github.com/drover-etl/drover/internal/testutil"
	"github.com/drover-etl/drover/runlease"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/task"
)

// minioOnly starts MinIO with the data, out and shuffle buckets and the
// demo data, for the tests that need no Nomad.
func minioOnly(t *testing.T) *testutil.MinIO {
	t.Helper()
	if testing.Short() {
		t.Skip("integration")
	}
	m := testutil.StartMinIO(t)
	m.SetEnv(t)
	storage.ResetCache()
	t.Cleanup(storage.ResetCache)
	for _, b := range []string{"data", "out", "shuffle"} {
		m.MakeBucket(t, b)
	}
	genDemo(t)
	return m
}

// runLocal runs the demo job into s3://out/<name>/ on local executors.
func runLocal(t *testing.T, name, shuffle string, prog *recorder, rt *executor.Runtime) (*driver.Summary, error) {
	t.Helper()
	opts := engine.RunOptions{ShuffleDir: shuffle}
	if prog != nil {
		opts.Progress = prog
	}
	if rt == nil {
		rt = &executor.Runtime{}
	}
	return engine.Run(context.Background(), compile(t, name), executor.NewLocal(rt, 2), opts)
}

// putObject writes body at an s3:// URL.
func putObject(t *testing.T, url, body string) {
	t.Helper()
	loc, err := storage.Resolve(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	w, err := loc.Store.Create(context.Background(), loc.Key)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, body)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func exists(t *testing.T, url string) bool {
	t.Helper()
	loc, err := storage.Resolve(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	_, err = loc.Store.Stat(context.Background(), loc.Key)
	if err != nil && !errors.Is(err, storage.ErrNotExist) {
		t.Fatal(err)
	}
	return err == nil
}

func objectsUnder(t *testing.T, url string) []string {
	t.Helper()
	loc, err := storage.Resolve(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	infos, err := loc.Store.List(context.Background(), loc.Key)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, in := range infos {
		keys = append(keys, in.Key)
	}
	return keys
}

// TestMinIOOutageRiddenOut stops MinIO for 40 s while a job runs and
// starts it again on the same port and data: the job completes with the
// same output as an undisturbed run and leaves no upload or shuffle
// object behind.
func TestMinIOOutageRiddenOut(t *testing.T) {
	m := minioOnly(t)
	if _, err := runLocal(t, "calm", "s3://shuffle/calm", nil, nil); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	down := make(chan struct{})
	prog := &recorder{onStage: func(stage int) {
		if stage == 0 {
			return
		}
		// A later stage started: its tasks and the shuffle reads they
		// need meet a dead server.
		once.Do(func() {
			m.Stop(t)
			close(down)
		})
	}}
	type result struct{ err error }
	done := make(chan result, 1)
	c := compile(t, "outage")
	go func() {
		// Slow tasks keep the job running through the outage.
		ex := executor.NewLocal(&executor.Runtime{Delay: 200 * time.Millisecond}, 2)
		_, err := engine.Run(context.Background(), c, ex, engine.RunOptions{ShuffleDir: "s3://shuffle/outage", Progress: prog})
		done <- result{err}
	}()
	select {
	case <-down:
	case r := <-done:
		t.Fatalf("the job ended (%v) before the outage began", r.err)
	}
	time.Sleep(40 * time.Second)
	select {
	case r := <-done:
		t.Fatalf("the job ended during the outage: %v", r.err)
	default:
	}
	m.Restart(t)
	if r := <-done; r.err != nil {
		t.Fatalf("job failed across a 40 s outage: %v", r.err)
	}
	got, want := readAll(t, "s3://out/outage/"), readAll(t, "s3://out/calm/")
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("output after the outage differs:\n%s\nvs\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	noUploads(t, m, "outage/")
	if left := objectsUnder(t, "s3://shuffle/outage/"); len(left) > 0 {
		t.Errorf("shuffle objects left: %v", left)
	}
	t.Logf("retries during the outage: %d", len(prog.retried))
}

// TestOverwriteNextToForeignFiles: files Drover did not write survive
// every overwrite, readers see exactly the committed version, and an
// overwrite replaces the previous Drover output.
func TestOverwriteNextToForeignFiles(t *testing.T) {
	minioOnly(t)
	putObject(t, "s3://out/foreign/notes.txt", "mine")
	putObject(t, "s3://out/foreign/keep/important.csv", "a,b\n1,2\n")
	if _, err := runLocal(t, "foreign", "s3://shuffle/f1", nil, nil); err != nil {
		t.Fatal(err)
	}
	first := visibleParts(t, "s3://out/foreign/")
	if _, err := runLocal(t, "foreign", "s3://shuffle/f2", nil, nil); err != nil {
		t.Fatal(err)
	}
	second := visibleParts(t, "s3://out/foreign/")
	for _, f := range []string{"notes.txt", "keep/important.csv"} {
		if !exists(t, "s3://out/foreign/"+f) {
			t.Errorf("foreign file %s was deleted", f)
		}
	}
	for _, f := range first {
		for _, g := range second {
			if f == g {
				t.Errorf("file %s of the first run is still part of the output", f)
			}
		}
		if exists(t, "s3://out/foreign/"+f) {
			t.Errorf("file %s of the first run was not replaced", f)
		}
	}
	if _, err := runLocal(t, "ref", "s3://shuffle/f3", nil, nil); err != nil {
		t.Fatal(err)
	}
	if got, want := readAll(t, "s3://out/foreign/"), readAll(t, "s3://out/ref/"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("readers of the overwritten output see:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

const exclusiveJob = `
job "excl" {
  source "orders" {
    format = "csv"
    path   = "s3://data/demo/orders/day=*/*.csv"
    schema = { order_id = "int64", customer_id = "int64", status = "string", amount = "decimal(10,2)", note = "string", ordered_at = "timestamp" }
  }
  sink "out" {
    from   = "orders"
    format = "csv"
    path   = "s3://out/exclusive/"
    mode   = "error"
  }
}
`

// TestConcurrentModeErrorRuns: of runs started together into one
// mode = "error" sink exactly one writes; the others fail without
// touching its output, and no lock is left.
func TestConcurrentModeErrorRuns(t *testing.T) {
	minioOnly(t)
	path := filepath.Join(t.TempDir(), "job.hcl")
	os.WriteFile(path, []byte(exclusiveJob), 0o644)
	const n = 4
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			c, err := engine.Compile(context.Background(), path, engine.Options{Parallelism: 2})
			if err != nil {
				errs[i] = err
				return
			}
			_, errs[i] = engine.Run(context.Background(), c, executor.NewLocal(&executor.Runtime{}, 2),
				engine.RunOptions{ShuffleDir: fmt.Sprintf("s3://shuffle/excl-%d", i)})
		})
	}
	wg.Wait()
	wins := 0
	for i, err := range errs {
		switch {
		case err == nil:
			wins++
		case errors.Is(err, commit.ErrLocked) || errors.Is(err, commit.ErrOutputExists):
		default:
			t.Errorf("run %d: %v, want success or a lock/exists error", i, err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d runs wrote the mode = \"error\" sink, want exactly 1 (errors: %v)", wins, errs)
	}
	if exists(t, "s3://out/exclusive/"+commit.LockName) {
		t.Error("the run lock was left behind")
	}
	files, err := storage.Expand(context.Background(), "s3://out/exclusive/")
	if err != nil || len(files) == 0 {
		t.Fatalf("output of the winner: %v, %v", files, err)
	}
}

// TestGCFindsUploadsByExactKey: an attempt's shuffle upload left
// incomplete across a MinIO restart (which empties the server's cache
// behind bucket-wide listings) is found through the run's record, by its
// exact key, and aborted with the rest of the crashed run.
func TestGCFindsUploadsByExactKey(t *testing.T) {
	m := minioOnly(t)
	ctx := context.Background()
	const run = "20261207T080000-0badc0de"
	root := "s3://shuffle/gc"
	dir := root + "/" + run
	// The record a renewal of the crashed run left: two attempts of map task 0.1.
	rec, _ := json.Marshal(runlease.Record{Version: 1, Job: "j", Run: run, Sinks: []string{"s3://out/gcsink"},
		Attempts: []runlease.Attempts{{Stage: 0, Partition: 1, Count: 2}}})
	putObject(t, dir+"/"+runlease.RecordName, string(rec))
	shuffleObj := task.ShuffleURL(dir, 0, 1, 0)
	putObject(t, shuffleObj, "complete map output")
	loc, _ := storage.Resolve(ctx, task.ShuffleURL(dir, 0, 1, 1))
	w, err := loc.Store.(storage.DeferredCreator).CreateDeferred(ctx, loc.Key)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(make([]byte, 20<<20)) // a full part goes up: the upload exists
	putObject(t, "s3://out/gcsink/_staging/"+run+"/00000-0/part-00000-x.csv", "staged")
	putObject(t, "s3://out/gcsink/"+commit.LockName, `{"run":"`+run+`"}`)
	putObject(t, "s3://out/gcsink/committed.csv", "keep")

	m.Stop(t)
	m.Restart(t)
	if got := exactUploads(t, m, "shuffle", loc.Key); got != 1 {
		t.Fatalf("%d uploads at %s after the restart, want 1", got, loc.Key)
	}
	t.Logf("a bucket-wide listing after the restart shows %d upload(s) of that key", bucketWideUploads(t, m, "shuffle", loc.Key))
	time.Sleep(1500 * time.Millisecond) // older than OlderThan below
	rep, err := gc.Collect(ctx, gc.Options{ShuffleRoot: root, OlderThan: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Runs) != 1 || rep.Staged != 1 || rep.Locks != 1 || rep.Uploads < 1 {
		t.Errorf("report %+v", rep)
	}
	if got := exactUploads(t, m, "shuffle", loc.Key); got != 0 {
		t.Errorf("%d uploads left at %s", got, loc.Key)
	}
	if left := objectsUnder(t, dir+"/"); len(left) > 0 {
		t.Errorf("left under the run: %v", left)
	}
	if !exists(t, "s3://out/gcsink/committed.csv") || exists(t, "s3://out/gcsink/"+commit.LockName) {
		t.Error("gc touched committed output or kept the crashed run's lock")
	}
}

// exactUploads counts the incomplete uploads of one key, listed by that
// key alone.
func exactUploads(t *testing.T, m *testutil.MinIO, bucket, key string) int {
	t.Helper()
	c, err := m.Client()
	if err != nil {
		t.Fatal(err)
	}
	r, err := minio.Core{Client: c}.ListMultipartUploads(context.Background(), bucket, key, "", "", "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, u := range r.Uploads {
		if u.Key == key {
			n++
		}
	}
	return n
}

// TestKilledDriverLeavesNoOrphans SIGKILLs a `drover submit` mid-job: its
// executors stop once their lease on the driver expires, and `drover gc`
// removes the executor job, its Nomad variable and Consul service, the
// run's shuffle objects and its staged files.
func TestKilledDriverLeavesNoOrphans(t *testing.T) {
	e := setup(t)
	genDemo(t)
	jobPath := filepath.Join(t.TempDir(), "job.hcl")
	os.WriteFile(jobPath, []byte(jobHCL), 0o644)
	drv := exec.Command(e.binary, "submit", jobPath, "--var", "name=crash", "--executors", "1",
		"--executor-binary", e.binary, "--executor-cpu", "100", "--executor-memory", "256",
		"--shuffle-dir", "s3://shuffle/crash", "--executor-arg=--driver-grace=20s", "--executor-arg=--chaos-task-delay=2s")
	drv.Env = os.Environ()
	logPath := filepath.Join(t.TempDir(), "driver.log")
	log, _ := os.Create(logPath)
	drv.Stdout, drv.Stderr = log, log
	t.Cleanup(func() {
		if t.Failed() {
			b, _ := os.ReadFile(logPath)
			t.Logf("driver output:\n%s", b)
		}
	})
	if err := drv.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- drv.Wait() }()
	nc := nomadClient(t)
	jobID := waitFor(t, "a running executor job and the run's record", func() string {
		select {
		case err := <-exited:
			t.Fatalf("the driver exited before it could be killed: %v", err)
		default:
		}
		jobs, _, err := nc.Jobs().PrefixList("drover-")
		if err != nil || len(jobs) == 0 || jobs[0].Status != "running" {
			return ""
		}
		for _, k := range objectsUnder(t, "s3://shuffle/crash/") {
			if strings.HasSuffix(k, ".arrows") { // mid-job: map output written
				return jobs[0].ID
			}
		}
		return ""
	})
	job, _, err := nc.Jobs().Info(jobID, nil)
	if err != nil {
		t.Fatal(err)
	}
	service := job.Meta["drover.service"]
	drv.Process.Signal(syscall.SIGKILL)
	<-exited

	// The lease: with the driver gone, the executors stop on their own.
	waitFor(t, "the executors to stop after their lease expired", func() string {
		allocs, _, err := nc.Jobs().Allocations(jobID, false, nil)
		if err != nil {
			return ""
		}
		for _, a := range allocs {
			if a.ClientStatus == "running" || a.ClientStatus == "pending" {
				return ""
			}
		}
		for _, a := range allocs {
			// Exit 0 (the lease), not a crash Nomad would act on.
			if a.ClientStatus != "complete" {
				t.Errorf("executor allocation %s ended %s, want complete", a.ID, a.ClientStatus)
			}
		}
		return "stopped"
	})
	time.Sleep(1500 * time.Millisecond) // the run is now older than --older-than
	out, err := exec.Command(e.binary, "gc", "--shuffle-dir", "s3://shuffle/crash", "--older-than", "1s").CombinedOutput()
	if err != nil {
		t.Fatalf("drover gc: %v\n%s", err, out)
	}
	t.Logf("drover gc:\n%s", out)
	assertNoDroverJobs(t, nc)
	if v, _, err := nc.Variables().Peek("nomad/jobs/"+jobID, nil); err == nil && v != nil {
		t.Errorf("Nomad variable nomad/jobs/%s left behind", jobID)
	}
	if left := objectsUnder(t, "s3://shuffle/crash/"); len(left) > 0 {
		t.Errorf("shuffle objects left: %v", left)
	}
	if left := objectsUnder(t, "s3://out/crash/_staging/"); len(left) > 0 {
		t.Errorf("staged files left: %v", left)
	}
	noUploads(t, e.minio, "crash/")
	cc, err := consul.NewClient(consul.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the Consul service to be deregistered", func() string {
		entries, _, err := cc.Catalog().Service(service, "", nil)
		if err != nil || len(entries) > 0 {
			return ""
		}
		return "gone"
	})
}

// waitFor polls cond until it returns non-empty (3 minutes at most).
func waitFor(t *testing.T, what string, cond func() string) string {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		if v := cond(); v != "" {
			return v
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// bucketWideUploads counts key's uploads in a listing of the whole bucket.
func bucketWideUploads(t *testing.T, m *testutil.MinIO, bucket, key string) int {
	t.Helper()
	c, err := m.Client()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for u := range c.ListIncompleteUploads(context.Background(), bucket, "", true) {
		if u.Err != nil {
			t.Fatal(u.Err)
		}
		if u.Key == key {
			n++
		}
	}
	return n
}
