package cluster

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	nomad "github.com/hashicorp/nomad/api"

	"github.com/drover-etl/drover/cluster"
	"github.com/drover-etl/drover/engine"
	"github.com/drover-etl/drover/executor"
	_ "github.com/drover-etl/drover/format/csv"
	_ "github.com/drover-etl/drover/format/parquet"
	"github.com/drover-etl/drover/internal/testutil"
	"github.com/drover-etl/drover/sampledata"
	"github.com/drover-etl/drover/storage"
	_ "github.com/drover-etl/drover/storage/local"
	_ "github.com/drover-etl/drover/storage/s3"
	"github.com/drover-etl/drover/task"
)

// env is one test's servers.
type env struct {
	minio  *testutil.MinIO
	nomad  *testutil.Nomad
	binary string
}

func setup(t *testing.T) *env {
	t.Helper()
	if testing.Short() {
		t.Skip("integration")
	}
	e := &env{binary: buildDrover(t)}
	e.minio = testutil.StartMinIO(t)
	consul := testutil.StartConsul(t)
	e.nomad = testutil.StartNomad(t, consul)
	e.minio.SetEnv(t)
	// Stores are cached per bucket for the process; this test's MinIO is new.
	storage.ResetCache()
	t.Cleanup(storage.ResetCache)
	for _, kv := range append(consul.Env(), e.nomad.Env()...) {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	for _, b := range []string{"data", "out", "shuffle"} {
		e.minio.MakeBucket(t, b)
	}
	return e
}

// buildDrover builds the binary Nomad runs as the executor.
func buildDrover(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "drover")
	cmd := exec.Command("go", "build", "-o", out, "github.com/drover-etl/drover/cmd/drover")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build drover: %v\n%s", err, b)
	}
	return out
}

// upload copies a local directory tree to an s3:// prefix.
func upload(t *testing.T, dir, dst string) {
	t.Helper()
	ctx := context.Background()
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		loc, err := storage.Resolve(ctx, dst+"/"+filepath.ToSlash(rel))
		if err != nil {
			t.Fatal(err)
		}
		w, err := loc.Store.Create(ctx, loc.Key)
		if err != nil {
			t.Fatal(err)
		}
		f, _ := os.Open(p)
		io.Copy(w, f)
		f.Close()
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return nil
	})
}

// readAll returns every line of every visible object under an s3:// prefix,
// sorted (CSV sinks: header lines included once per file).
func readAll(t *testing.T, prefix string) []string {
	t.Helper()
	ctx := context.Background()
	locs, err := storage.Expand(ctx, prefix)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range locs {
		f, err := l.Store.Open(ctx, l.Key)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(io.NewSectionReader(f, 0, f.Size()))
		f.Close()
		lines = append(lines, strings.Split(strings.TrimSpace(string(b)), "\n")...)
	}
	sort.Strings(lines)
	return lines
}

const jobHCL = `
job "s3etl" {
  source "orders" {
    format = "csv"
    path   = "s3://data/demo/orders/day=*/*.csv"
    schema = { order_id = "int64", customer_id = "int64", status = "string", amount = "decimal(10,2)", note = "string", ordered_at = "timestamp" }
  }
  source "customers" {
    format = "parquet"
    path   = "s3://data/demo/customers/"
  }
  view "by_country" {
    sql = <<-SQL
      SELECT c.country, o.status, count(*) AS n, sum(o.amount) AS total, count(DISTINCT o.customer_id) AS buyers
      FROM orders o JOIN customers c ON o.customer_id = c.customer_id
      GROUP BY c.country, o.status
    SQL
  }
  sink "out" {
    from   = "by_country"
    format = "csv"
    path   = "s3://out/${var.name}/"
    mode   = "overwrite"
  }
}
variable "name" {
  default = "x"
}
`

func compile(t *testing.T, name string) *engine.Compiled {
	t.Helper()
	path := filepath.Join(t.TempDir(), "job.hcl")
	os.WriteFile(path, []byte(jobHCL), 0o644)
	c, err := engine.Compile(context.Background(), path, engine.Options{Vars: map[string]string{"name": name},
		Parallelism: 6, Partitions: 6, BroadcastThresholdBytes: -1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func genDemo(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	if _, err := sampledata.Generate(context.Background(), sampledata.Config{Dir: dir, Customers: 300, OrdersPerDay: 4000, Days: 3, End: "2026-11-20", Seed: 11}); err != nil {
		t.Fatal(err)
	}
	upload(t, dir, "s3://data/demo")
}

// recorder notes lineage recomputes and lets a test act when stages start.
type recorder struct {
	mu         sync.Mutex
	recomputed []string
	retried    []string
	onStage    func(stage int)
}

func (r *recorder) StageStarted(stage, _ int, _ string) {
	if r.onStage != nil {
		r.onStage(stage)
	}
}
func (r *recorder) TaskDone(int, task.Metrics) {}
func (r *recorder) TaskRetry(id task.ID, err error) {
	r.mu.Lock()
	r.retried = append(r.retried, id.String()+": "+err.Error())
	r.mu.Unlock()
}
func (r *recorder) StageDone(int, task.Metrics, time.Duration) {}
func (r *recorder) Recompute(stage, part int, _ error) {
	r.mu.Lock()
	r.recomputed = append(r.recomputed, fmt.Sprintf("%d.%d", stage, part))
	r.mu.Unlock()
}

// TestSubmitMatchesLocalSurvivesLossAndCleansUp runs an S3-in, S3-out job
// with a join and a shuffle aggregation on 3 Nomad executors, stops one
// executor's allocation mid-job and deletes a shuffle object between
// stages. The output must equal the local run's, only the lost map task is
// recomputed, and no executor job is left behind.
func TestSubmitMatchesLocalSurvivesLossAndCleansUp(t *testing.T) {
	e := setup(t)
	genDemo(t)
	ctx := context.Background()

	local := compile(t, "local")
	if _, err := engine.Run(ctx, local, executor.NewLocal(&executor.Runtime{Name: "local"}, 2), engine.RunOptions{ShuffleDir: "s3://shuffle/local"}); err != nil {
		t.Fatal(err)
	}
	want := readAll(t, "s3://out/local/")

	c := compile(t, "cluster")
	run := engine.NewRunID()
	cl, err := cluster.Start(ctx, cluster.Config{Executors: 3, SlotsPerExecutor: 2, Binary: e.binary, CPU: 100, MemoryMB: 256,
		Env: e.s3Env(), Secrets: e.s3Secrets(), ExtraArgs: []string{"--chaos-task-delay", "1500ms"}}, c.Job.Name, run)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close(context.Background())
	waitLive(t, cl, 3)
	assertNoSecretInJob(t, nomadClient(t), cl.JobID, e.minio.SecretKey)

	nc, _ := nomad.NewClient(nomad.DefaultConfig())
	rec := &recorder{}
	var once, deleted sync.Once
	rec.onStage = func(stage int) {
		g := c.Stages.Stages[stage]
		if len(g.Parents) > 0 {
			// A reduce stage starts: delete one map output it will read.
			deleted.Do(func() { deleteOneShuffleObject(t, "s3://shuffle/cluster/"+run) })
			// And stop one executor while its tasks run.
			once.Do(func() {
				go func() {
					// Kill an executor while it holds tasks (each is held in
					// its chaos delay, so they are certainly in flight).
					killOneExecutor(t, waitBusy(cl, 10*time.Second))
				}()
			})
		}
	}
	_, err = engine.Run(ctx, c, cl.Executor(), engine.RunOptions{ShuffleDir: "s3://shuffle/cluster", Run: run, Progress: rec, Scaler: cl})
	if err != nil {
		t.Fatal(err)
	}
	got := readAll(t, "s3://out/cluster/")
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("cluster output differs from local:\n%s\nvs\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	noUploads(t, e.minio, "") // sink files are uploads completed at commit: none may linger
	if len(rec.recomputed) == 0 {
		t.Error("the deleted shuffle object was not recomputed")
	}
	t.Logf("recomputed map tasks: %v; retried attempts: %v", rec.recomputed, rec.retried)
	if len(rec.retried) == 0 {
		t.Error("no task was retried after its executor was stopped mid-stage")
	}
	if err := cl.Close(ctx); err != nil {
		t.Fatal(err)
	}
	assertNoDroverJobs(t, nc)
	if left, _ := storage.Expand(ctx, "s3://shuffle/cluster/"+run+"/"); len(left) > 0 {
		t.Errorf("shuffle files left behind: %d", len(left))
	}
}

func envMap(kvs []string) map[string]string {
	m := map[string]string{}
	for _, kv := range kvs {
		k, v, _ := strings.Cut(kv, "=")
		m[k] = v
	}
	return m
}

func waitLive(t *testing.T, cl *cluster.Cluster, n int) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for len(cl.Pool().Live()) < n {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d executors became healthy", len(cl.Pool().Live()), n)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func deleteOneShuffleObject(t *testing.T, prefix string) {
	ctx := context.Background()
	locs, err := storage.Expand(ctx, prefix+"/")
	if err != nil || len(locs) == 0 {
		t.Errorf("no shuffle objects under %s: %v", prefix, err)
		return
	}
	if err := locs[0].Store.Delete(ctx, locs[0].Key); err != nil {
		t.Error(err)
	}
}

func assertNoDroverJobs(t *testing.T, nc *nomad.Client) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		jobs, _, err := nc.Jobs().PrefixList("drover-")
		if err != nil {
			t.Fatal(err)
		}
		if len(jobs) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("executor jobs left behind: %v", jobs[0].ID)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

func assertNoDroverJobsEnv(t *testing.T) {
	t.Helper()
	nc, err := nomad.NewClient(nomad.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	assertNoDroverJobs(t, nc)
}

// killOneExecutor SIGKILLs the executor process serving the first address
// (found by its --listen argument), as if its node died.
func killOneExecutor(t *testing.T, live []string) {
	if len(live) == 0 {
		t.Error("no live executor to kill")
		return
	}
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err != nil || !strings.Contains(string(b), "\x00--listen\x00"+live[0]+"\x00") {
			continue
		}
		pid, _ := strconv.Atoi(strings.Split(p, "/")[2])
		t.Logf("killing executor pid %d (%s) at %s", pid, live[0], time.Now().Format("15:04:05.000"))
		if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
			t.Error(err)
		}
		return
	}
	t.Errorf("no process serves %s", live[0])
}

// TestSubmitCLI runs the real command lines: `drover submit --executors 3`
// against `drover run`, both reading and writing s3:// paths.
func TestSubmitCLI(t *testing.T) {
	e := setup(t)
	genDemo(t)
	job := filepath.Join(t.TempDir(), "job.hcl")
	os.WriteFile(job, []byte(jobHCL), 0o644)
	run := func(args ...string) string {
		cmd := exec.Command(e.binary, args...)
		cmd.Env = os.Environ()
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("drover %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	run("run", job, "--var", "name=cli-local")
	out := run("submit", job, "--var", "name=cli-cluster", "--executors", "3", "--executor-memory", "256", "--executor-cpu", "100",
		"--shuffle-dir", "s3://shuffle/cli", "--executor-binary", e.binary)
	if strings.Contains(out, e.minio.SecretKey) {
		t.Fatal("drover submit printed the S3 secret key")
	}
	got, want := withoutHeaders(readAll(t, "s3://out/cli-cluster/")), withoutHeaders(readAll(t, "s3://out/cli-local/"))
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("submit output differs from run:\n%s\nvs\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	nc, _ := nomad.NewClient(nomad.DefaultConfig())
	assertNoDroverJobs(t, nc)
}

// withoutHeaders drops CSV header lines (one per part file; part counts
// follow parallelism, rows must not).
func withoutHeaders(lines []string) []string {
	var out []string
	for _, l := range lines {
		if !strings.HasPrefix(l, "country,status,") {
			out = append(out, l)
		}
	}
	return out
}

// s3Env and s3Secrets split MinIO's variables the way drover submit does:
// settings in the job, keys in the job's Nomad variable.
func (e *env) s3Env() map[string]string {
	m := envMap(e.minio.Env())
	delete(m, "AWS_ACCESS_KEY_ID")
	delete(m, "AWS_SECRET_ACCESS_KEY")
	delete(m, "AWS_SESSION_TOKEN")
	return m
}

func (e *env) s3Secrets() map[string]string {
	return map[string]string{"AWS_ACCESS_KEY_ID": e.minio.AccessKey, "AWS_SECRET_ACCESS_KEY": e.minio.SecretKey}
}

// assertNoSecretInJob fails if the executor job's definition carries the
// S3 secret key.
func assertNoSecretInJob(t *testing.T, nc *nomad.Client, jobID, secret string) {
	t.Helper()
	job, _, err := nc.Jobs().Info(jobID, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(job)
	if strings.Contains(string(b), secret) {
		t.Fatal("the executor job definition contains the S3 secret key")
	}
}

func nomadClient(t *testing.T) *nomad.Client {
	t.Helper()
	nc, err := nomad.NewClient(nomad.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	return nc
}

// waitBusy waits until some executor has tasks in flight and returns the
// busy ones (nil on timeout; the caller then reports it).
func waitBusy(cl *cluster.Cluster, timeout time.Duration) []string {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if busy := cl.Pool().Busy(); len(busy) > 0 {
			return busy
		}
		time.Sleep(20 * time.Millisecond)
	}
	return nil
}
