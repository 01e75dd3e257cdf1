package cluster

import (
	"context"
	"github.com/drover-etl/drover/internal/e2eutil"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	nomad "github.com/hashicorp/nomad/api"

	"github.com/drover-etl/drover/eventlog"
	"github.com/drover-etl/drover/storage"
)

func nomadCLI(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(filepath.Join(e2eutil.RepoRoot(t), "bin", "nomad"), args...)
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("nomad %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestDriverAsNomadBatchJob runs the cluster deploy mode the way users do:
// `nomad job run nomad/drover-driver.nomad.hcl`, with the job spec fetched
// from S3 and the S3 credentials taken from a Nomad variable.
func TestDriverAsNomadBatchJob(t *testing.T) {
	e := setup(t)
	genDemo(t)
	ctx := context.Background()
	jobFile := filepath.Join(e2eutil.RepoRoot(t), "nomad", "drover-driver.nomad.hcl")
	nomadCLI(t, "fmt", "-check", jobFile)

	loc, _ := storage.Resolve(ctx, "s3://data/jobs/s3etl.hcl")
	w, err := loc.Store.Create(ctx, loc.Key)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(jobHCL))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	nomadCLI(t, "var", "put", "-force", "nomad/jobs/drover-driver", "access_key="+e.minio.AccessKey, "secret_key="+e.minio.SecretKey)
	vars := []string{
		"-var", "drover_binary=" + e.binary,
		"-var", "job_spec_url=s3://data/jobs/s3etl.hcl",
		"-var", "shuffle_dir=s3://shuffle/nomad",
		"-var", "s3_endpoint=" + e.minio.Endpoint,
		"-var", "nomad_addr=" + os.Getenv("NOMAD_ADDR"),
		"-var", "consul_addr=" + os.Getenv("CONSUL_HTTP_ADDR"),
		"-var", `job_vars=["name=nomad"]`,
		"-var", "executors=2",
		// The dev agent is not a hardened cluster (e2e/provision tests
		// those): no namespace drover, so run where its jobs and variables are,
		"-var", "namespace=default",
		// and no user drover; raw_exec as the dev agent offers it.
		"-var", "task_user=", "-var", "task_driver=raw_exec",
	}
	nomadCLI(t, append(append([]string{"job", "validate"}, vars...), jobFile)...)
	nomadCLI(t, append(append([]string{"job", "run", "-detach"}, vars...), jobFile)...)

	nc, _ := nomad.NewClient(nomad.DefaultConfig())
	waitBatchDone(t, nc, "drover-driver")
	defer nc.Jobs().Deregister("drover-driver", true, nil)
	checkDriverObservability(t, nc)

	if _, err := runJobLocally(t); err != nil {
		t.Fatal(err)
	}
	got, want := withoutHeaders(readAll(t, "s3://out/nomad/")), withoutHeaders(readAll(t, "s3://out/local-ref/"))
	if len(got) == 0 || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("driver job output differs from a local run:\n%s\nvs\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The event log went beside the shuffle dir and records the success.
	runs, err := eventlog.Runs(ctx, "s3://shuffle/events")
	if err != nil || len(runs) != 1 {
		t.Fatalf("event logs under s3://shuffle/events: %v %v", runs, err)
	}
	lg, err := eventlog.Read(ctx, "s3://shuffle/events", runs[0])
	if err != nil {
		t.Fatal(err)
	}
	if last := lg.Events[len(lg.Events)-1]; last.Type != eventlog.RunEnd || last.End.Status != eventlog.StatusSucceeded {
		t.Errorf("the log ends with %s %+v, want a succeeded run_end", last.Type, last.End)
	}
	// The executors' job is gone; only the finished driver job remains.
	jobs, _, _ := nc.Jobs().PrefixList("drover-")
	for _, j := range jobs {
		if j.ID != "drover-driver" {
			t.Errorf("job left behind: %s (%s)", j.ID, j.Status)
		}
	}
}

func runJobLocally(t *testing.T) (any, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "job.hcl")
	os.WriteFile(path, []byte(strings.Replace(jobHCL, `default = "x"`, `default = "local-ref"`, 1)), 0o644)
	cmd := exec.Command(buildDroverOnce(t), "run", path)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("drover run: %v\n%s", err, out)
	}
	return nil, nil
}

func buildDroverOnce(t *testing.T) string { return buildDrover(t) }

// waitBatchDone waits for the batch job's allocation to finish and fails
// the test with the task's events and logs if it did not succeed.
func waitBatchDone(t *testing.T, nc *nomad.Client, jobID string) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		allocs, _, err := nc.Jobs().Allocations(jobID, true, nil)
		if err == nil && len(allocs) > 0 {
			a := allocs[0]
			switch a.ClientStatus {
			case "complete":
				return
			case "failed", "lost":
				t.Fatalf("driver allocation %s: %s\n%s", a.ID, a.ClientStatus, allocLogs(t, a.ID))
			}
		}
		time.Sleep(500 * time.Millisecond)
	}
	t.Fatal("driver job did not finish in 3 minutes")
}

func allocLogs(t *testing.T, id string) string {
	cmd := exec.Command(filepath.Join(e2eutil.RepoRoot(t), "bin", "nomad"), "alloc", "logs", "-stderr", id, "driver")
	out, _ := cmd.CombinedOutput()
	status := exec.Command(filepath.Join(e2eutil.RepoRoot(t), "bin", "nomad"), "alloc", "status", id)
	st, _ := status.CombinedOutput()
	return string(st) + "\n" + string(out)
}

// checkDriverObservability: the driver job served its metrics on the
// port it registered, and its summary priced the run's S3 requests.
func checkDriverObservability(t *testing.T, nc *nomad.Client) {
	t.Helper()
	allocs, _, err := nc.Jobs().Allocations("drover-driver", true, nil)
	if err != nil || len(allocs) == 0 {
		t.Fatalf("driver allocations: %v", err)
	}
	logs := func(stream string) string {
		out, _ := exec.Command(filepath.Join(e2eutil.RepoRoot(t), "bin", "nomad"), "alloc", "logs", "-"+stream, allocs[0].ID, "driver").CombinedOutput()
		return string(out)
	}
	if stderr := logs("stderr"); !strings.Contains(stderr, "metrics at http://") {
		t.Errorf("the driver did not serve metrics:\n%s", stderr)
	}
	if stdout := logs("stdout"); !strings.Contains(stdout, "estimated S3 cost of this run: $") {
		t.Errorf("the driver's summary has no S3 cost:\n%s", stdout)
	}
}
