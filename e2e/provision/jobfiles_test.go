package provision

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/drover-etl/drover/internal/e2eutil"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	nomad "github.com/hashicorp/nomad/api"
	"github.com/minio/minio-go/v7"

	"github.com/drover-etl/drover/internal/testutil"
	"github.com/drover-etl/drover/sampledata"
)

// jobFileVars are the -var flags each job file in nomad/ needs to
// validate. Every *.nomad.hcl must be listed, so a new one gets checked.
var jobFileVars = map[string][]string{
	"drover-driver.nomad.hcl":   {"shuffle_dir=s3://drover/shuffle", "job_spec_url=s3://data/jobs/job.hcl"},
	"drover-nightly.nomad.hcl":  {"shuffle_dir=s3://drover/shuffle", "job_spec_url=s3://data/jobs/job.hcl"},
	"drover-dispatch.nomad.hcl": {"shuffle_dir=s3://drover/shuffle", "job_spec_url=s3://data/jobs/job.hcl"},
	"minio.nomad.hcl":           nil,
}

func varFlags(vars []string) []string {
	var args []string
	for _, v := range vars {
		args = append(args, "-var", v)
	}
	return args
}

// TestJobFilesFormattedAndValid runs `nomad fmt -check` and `nomad job
// validate` (against a real agent) on every job file in nomad/.
func TestJobFilesFormattedAndValid(t *testing.T) {
	skipShort(t)
	root := e2eutil.RepoRoot(t)
	bin := testutil.Tool(t, "nomad")
	files, _ := filepath.Glob(filepath.Join(root, "nomad", "*.nomad.hcl"))
	if len(files) < len(jobFileVars) {
		t.Fatalf("nomad/ has %d job files, want at least %d", len(files), len(jobFileVars))
	}
	agent := testutil.StartNomad(t, nil)
	o := cmdOpts{env: append(agent.Env(), "CHECKPOINT_DISABLE=1")}
	ctx := context.Background()
	must(t, ctx, o, bin, "namespace", "apply", "drover") // the driver jobs' namespace
	for _, f := range files {
		vars, ok := jobFileVars[filepath.Base(f)]
		if !ok {
			t.Errorf("%s: add it to jobFileVars", filepath.Base(f))
			continue
		}
		must(t, ctx, o, bin, "fmt", "-check", f)
		must(t, ctx, o, bin, append(append([]string{"job", "validate"}, varFlags(vars)...), f)...)
	}
}

// TestJobFilesRunOnNomad runs the job files for real on a loopback Nomad
// with Consul: MinIO from nomad/minio.nomad.hcl (credentials from a Nomad
// variable, health-checked in Consul), then a Drover job through the
// parameterized variant (`nomad job dispatch -meta date=...`) and the
// periodic one (`nomad job periodic force`), reading from and writing to
// that MinIO. Each output must equal a local run for its date.
func TestJobFilesRunOnNomad(t *testing.T) {
	skipShort(t)
	root := e2eutil.RepoRoot(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	consul := testutil.StartConsul(t)
	agent := testutil.StartNomad(t, consul)
	nomadBin, minioBin := testutil.Tool(t, "nomad"), testutil.Tool(t, "minio")
	// The job files' namespace (drover), the loopback clients' raw_exec,
	// and the task API socket for the driver (no nomad_addr): the path a
	// hardened cluster takes, ACLs aside.
	o := cmdOpts{dir: root, env: append(append(agent.Env(), consul.Env()...), "CHECKPOINT_DISABLE=1", "NOMAD_NAMESPACE=drover")}
	// From an empty directory: `namespace apply NAME` reads a file called
	// NAME when there is one (a drover binary built in the repository root).
	nsOpts := o
	nsOpts.dir = t.TempDir()
	must(t, ctx, nsOpts, nomadBin, "namespace", "apply", "drover")
	drover := buildDrover(t)

	s3 := startMinIOJob(t, ctx, o, nomadBin, minioBin, consul)
	data := filepath.Join(t.TempDir(), "data")
	if _, err := sampledata.Generate(ctx, sampledata.Config{Dir: data, Customers: 200, OrdersPerDay: 3000, Days: 2, End: "2026-11-20", Seed: 5}); err != nil {
		t.Fatal(err)
	}
	for _, b := range []string{"data", "out", "drover"} {
		if err := s3.client.MakeBucket(ctx, b, minio.MakeBucketOptions{Region: "us-east-1"}); err != nil {
			t.Fatal(err)
		}
	}
	uploadDir(t, ctx, s3.client, data, "data", "demo")
	if _, err := s3.client.FPutObject(ctx, "data", "jobs/daily_orders.hcl", filepath.Join(root, "e2e", "provision", "testdata", "daily_orders.hcl"), minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	common := []string{
		"drover_binary=" + drover, "job_spec_url=s3://data/jobs/daily_orders.hcl",
		"shuffle_dir=s3://drover/shuffle", "s3_endpoint=" + s3.endpoint, "executors=2",
		"consul_addr=" + consul.HTTPAddr, "task_driver=raw_exec", "task_user=",
	}
	nc, err := nomad.NewClient(&nomad.Config{Address: agent.Addr, Namespace: "drover"})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("dispatch", func(t *testing.T) {
		putS3Var(t, ctx, o, nomadBin, "nomad/jobs/drover-dispatch", s3)
		vars := append(common, `job_vars=["out=s3://out/dispatch"]`)
		must(t, ctx, o, nomadBin, append(append([]string{"job", "run", "-detach"}, varFlags(vars)...), "nomad/drover-dispatch.nomad.hcl")...)
		out := must(t, ctx, o, nomadBin, "job", "dispatch", "-detach", "-meta", "date=2026-11-19", "drover-dispatch")
		child := regexp.MustCompile(`Dispatched Job ID = (\S+)`).FindStringSubmatch(out)
		if child == nil {
			t.Fatalf("no dispatched job ID in:\n%s", out)
		}
		waitChildDone(t, ctx, nc, o, nomadBin, child[1])
		compareDaily(t, ctx, s3, "dispatch", "2026-11-19", drover, data)
	})

	t.Run("nightly", func(t *testing.T) {
		putS3Var(t, ctx, o, nomadBin, "nomad/jobs/drover-nightly", s3)
		// date -d 2026-11-20: a fixed day rather than "yesterday".
		vars := append(common, `job_vars=["out=s3://out/nightly"]`, "date_expr=2026-11-20")
		must(t, ctx, o, nomadBin, append(append([]string{"job", "run", "-detach"}, varFlags(vars)...), "nomad/drover-nightly.nomad.hcl")...)
		must(t, ctx, o, nomadBin, "job", "periodic", "force", "-detach", "drover-nightly")
		var child string
		err := waitFor(ctx, time.Minute, 500*time.Millisecond, "the forced periodic run", func() (bool, error) {
			jobs, _, err := nc.Jobs().PrefixList("drover-nightly/periodic-")
			if len(jobs) > 0 {
				child = jobs[0].ID
			}
			return child != "", err
		})
		if err != nil {
			t.Fatal(err)
		}
		waitChildDone(t, ctx, nc, o, nomadBin, child)
		compareDaily(t, ctx, s3, "nightly", "2026-11-20", drover, data)
	})
}

// minioJob is MinIO as run by nomad/minio.nomad.hcl.
type minioJob struct {
	endpoint, user, password string
	client                   *minio.Client
}

// startMinIOJob runs nomad/minio.nomad.hcl with the root credentials in a
// Nomad variable and waits until Consul reports the service healthy.
func startMinIOJob(t *testing.T, ctx context.Context, o cmdOpts, nomadBin, minioBin string, consul *testutil.Consul) *minioJob {
	t.Helper()
	ports := make([]int, 2)
	for i := range ports {
		p, err := testutil.FreePort()
		if err != nil {
			t.Fatal(err)
		}
		ports[i] = p
	}
	m := &minioJob{endpoint: fmt.Sprintf("http://127.0.0.1:%d", ports[0]), user: "drover", password: randomHex(t, 12)}
	vo := o
	vo.stdin = fmt.Sprintf(`{"Items":{"root_user":%q,"root_password":%q}}`, m.user, m.password)
	must(t, ctx, vo, nomadBin, "var", "put", "-in=json", "-force", "nomad/jobs/minio", "-")
	must(t, ctx, o, nomadBin, "job", "run", "-detach",
		"-var", "minio_binary="+minioBin, "-var", "data_dir="+t.TempDir(),
		"-var", fmt.Sprintf("port=%d", ports[0]), "-var", fmt.Sprintf("console_port=%d", ports[1]),
		"nomad/minio.nomad.hcl")
	t.Cleanup(func() { run(context.Background(), o, nomadBin, "job", "stop", "-purge", "minio") })
	err := waitFor(ctx, 2*time.Minute, time.Second, "the minio service passing in Consul", func() (bool, error) {
		resp, err := http.Get(consul.URL() + "/v1/health/service/minio?passing")
		if err != nil {
			return false, err
		}
		defer resp.Body.Close()
		var entries []struct{ Service struct{ Service string } }
		if err := json.NewDecoder(resp.Body).Decode(&entries); err != nil {
			return false, fmt.Errorf("consul health: %s: %w", resp.Status, err)
		}
		return len(entries) > 0 && entries[0].Service.Service == "minio", nil
	})
	if err != nil {
		status, _ := run(ctx, o, nomadBin, "job", "status", "minio")
		t.Fatalf("%v\n%s", err, status)
	}
	m.client = s3Client(t, m.endpoint, m.user, m.password, "us-east-1")
	return m
}

// putS3Var stores the S3 credentials a driver job reads.
func putS3Var(t *testing.T, ctx context.Context, o cmdOpts, nomadBin, path string, m *minioJob) {
	t.Helper()
	o.stdin = fmt.Sprintf(`{"Items":{"access_key":%q,"secret_key":%q}}`, m.user, m.password)
	must(t, ctx, o, nomadBin, "var", "put", "-in=json", "-force", path, "-")
}

// waitChildDone waits for a dispatched or periodic child job's driver.
func waitChildDone(t *testing.T, ctx context.Context, nc *nomad.Client, o cmdOpts, nomadBin, jobID string) {
	t.Helper()
	var alloc *nomad.AllocationListStub
	err := waitFor(ctx, 4*time.Minute, time.Second, jobID+" to finish", func() (bool, error) {
		allocs, _, err := nc.Jobs().Allocations(jobID, true, nil)
		if err != nil || len(allocs) == 0 {
			return false, err
		}
		alloc = allocs[0]
		return alloc.ClientStatus != "pending" && alloc.ClientStatus != "running", nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if alloc.ClientStatus != "complete" {
		logs, _ := run(ctx, o, nomadBin, "alloc", "logs", "-stderr", alloc.ID, "driver")
		t.Fatalf("%s: driver %s\n%s", jobID, alloc.ClientStatus, tail(logs, 30))
	}
}

// compareDaily checks s3://out/<kind>/day=<date>/ against a local run of
// the same job spec for that date.
func compareDaily(t *testing.T, ctx context.Context, m *minioJob, kind, date, drover, data string) {
	t.Helper()
	prefix := fmt.Sprintf("%s/day=%s/", kind, date)
	if !exists(ctx, m.client, "out", prefix+"_SUCCESS") {
		t.Fatalf("s3://out/%s_SUCCESS is missing", prefix)
	}
	var got []string
	for obj := range m.client.ListObjects(ctx, "out", minio.ListObjectsOptions{Prefix: prefix, Recursive: true}) {
		if obj.Err != nil {
			t.Fatal(obj.Err)
		}
		if strings.HasSuffix(obj.Key, ".csv") {
			r, err := m.client.GetObject(ctx, "out", obj.Key, minio.GetObjectOptions{})
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(r)
			r.Close()
			got = append(got, csvRows(string(b))...)
		}
	}
	local := filepath.Join(t.TempDir(), "out")
	must(t, ctx, cmdOpts{}, drover, "run", filepath.Join(e2eutil.RepoRoot(t), "e2e", "provision", "testdata", "daily_orders.hcl"),
		"--var", "data="+data, "--var", "out="+local, "--var", "date="+date)
	var want []string
	files, _ := filepath.Glob(filepath.Join(local, "day="+date, "*.csv"))
	for _, f := range files {
		b, _ := os.ReadFile(f)
		want = append(want, csvRows(string(b))...)
	}
	sort.Strings(got)
	sort.Strings(want)
	if len(want) == 0 {
		t.Fatalf("the local run for %s wrote no rows", date)
	}
	if d := diffRows(got, want); d != "" {
		t.Fatalf("s3://out/%s differs from the local run: %s", prefix, d)
	}
}

// csvRows returns a CSV file's data rows (header dropped).
func csvRows(s string) []string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) <= 1 {
		return nil
	}
	return lines[1:]
}

// buildDrover builds the drover binary the loopback Nomad runs.
func buildDrover(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "drover")
	cmd := exec.Command("go", "build", "-o", out, "github.com/drover-etl/drover/cmd/drover")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build drover: %v\n%s", err, b)
	}
	return out
}
