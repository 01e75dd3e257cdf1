package provision

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"github.com/drover-etl/drover/internal/e2eutil"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	_ "github.com/drover-etl/drover/format/csv"
	_ "github.com/drover-etl/drover/format/parquet"
	"github.com/drover-etl/drover/internal/testutil"
	"github.com/drover-etl/drover/sampledata"
	_ "github.com/drover-etl/drover/storage/local"
)

// The example ETL job (jobs/daily_revenue.hcl) and its two sinks: Parquet
// partitioned by day (revenue) and CSV (top_customers). It joins orders
// with customers and aggregates, so its stages meet at shuffles.
const (
	exampleJob = "jobs/daily_revenue.hcl"
	jobSpecKey = "jobs/daily_revenue.hcl" // in the data bucket
)

var sinks = []string{"revenue", "top_customers"}

// TestProvisionEndToEnd is the path users take, on Docker nodes: packer
// build → terraform apply → nomad job run (S3 in, S3 out) → the same job
// again with a client node killed mid-job → dispatched, with the driver's
// node killed (resumed elsewhere) → terraform destroy. `make e2e`
// runs it (e2e/provision/run.sh); it needs a Docker Engine.
func TestProvisionEndToEnd(t *testing.T) {
	runID := os.Getenv("DROVER_E2E_RUN")
	if runID == "" {
		t.Skip("the provisioning end-to-end test runs with `make e2e` (needs Docker; see e2e/provision/README.md)")
	}
	e := newE2E(t, runID)
	e.step("base image (debootstrap + docker import, cached)", e.baseImage)
	e.step("packer build (docker source)", e.packerBuild)
	e.step("cluster secrets (scripts/cluster-secrets.sh)", e.clusterSecrets)
	e.step("terraform apply (terraform/local-docker)", e.terraformApply)
	e.step("the cluster refuses anonymous and plain-HTTP requests", e.checkSecured)
	e.step("input data and job spec in MinIO, local reference run", e.prepareData)
	e.step("nomad job run: the example ETL job", func() { e.runDriverJob("run1", false) })
	e.step("nomad job run again, a client node killed mid-job", func() { e.runDriverJob("run2", true) })
	e.step("nomad job dispatch, the driver's node killed: rescheduled, resumed from the journal", func() { e.runDispatchKillingDriver("run3") })
	e.step("terraform destroy", e.terraformDestroy)
	e.step("nothing left behind", e.checkNothingLeft)
	t.Logf("end to end in %s", time.Since(e.start).Round(time.Second))
}

// e2e is one run's state: names, tools, the cluster's outputs.
type e2e struct {
	t       *testing.T
	ctx     context.Context
	start   time.Time
	runID   string
	name    string // prefix of the Terraform root's containers
	image   string // the node image this run builds
	label   string // docker label key=value on everything the run creates
	root    string
	work    string // terraform working copy, data, logs
	logs    string
	tools   map[string]string
	env     []string // tool environment (TF_CLI_CONFIG_FILE, ...)
	rootPW  string   // MinIO root password (Terraform's)
	secret  string   // the jobs' S3 secret key (terraform output s3_secret_key)
	secrets string   // the cluster's secrets dir (scripts/cluster-secrets.sh)
	// nomadToken is the cluster's bootstrap token (the operator's).
	nomadToken string
	drover     string // the static drover binary the image holds
	out        outputs
	s3         *minio.Client
	allocs     map[string]bool // every Nomad allocation seen (cgroup cleanup)
	applied    bool
	gone       bool
}

// outputs are the Terraform root's outputs the test uses.
type outputs struct {
	NomadAddr  string            `json:"nomad_addr"`
	ConsulAddr string            `json:"consul_http_addr"`
	CAFile     string            `json:"ca_file"`
	S3Endpoint string            `json:"s3_endpoint"`
	Env        map[string]string `json:"env"`
	Containers struct {
		Server  string   `json:"server"`
		Clients []string `json:"clients"`
		MinIO   string   `json:"minio"`
	} `json:"containers"`
}

func newE2E(t *testing.T, runID string) *e2e {
	root := e2eutil.RepoRoot(t)
	e := &e2e{
		t: t, start: time.Now(), runID: runID, root: root,
		name:   "dre2e-" + shortID(runID),
		image:  "drover-node:" + runID,
		label:  "drover.e2e.run=" + runID,
		env:    testutil.ToolEnv(t),
		drover: filepath.Join(root, "bin", "image", "bin", "drover"),
		allocs: map[string]bool{},
	}
	e.tools = map[string]string{}
	for _, name := range []string{"terraform", "packer", "nomad", "consul"} {
		e.tools[name] = testutil.Tool(t, name)
	}
	if _, err := os.Stat(e.drover); err != nil {
		t.Fatalf("%s is missing: run `make image-artifacts` (make e2e does)", e.drover)
	}
	e.work = os.Getenv("DROVER_E2E_WORK")
	if e.work == "" {
		e.work = t.TempDir()
	}
	e.logs = filepath.Join(e.work, "logs")
	os.MkdirAll(e.logs, 0o755)
	e.rootPW = randomHex(t, 16)

	// Leave a minute or two of the test's deadline for tearing down.
	ctx, cancel := context.Background(), func() {}
	if d, ok := t.Deadline(); ok {
		ctx, cancel = context.WithDeadline(ctx, d.Add(-3*time.Minute))
	}
	e.ctx = ctx
	t.Cleanup(cancel)
	t.Cleanup(e.cleanup)
	t.Logf("run %s: containers %s-*, image %s, logs in %s", runID, e.name, e.image, e.logs)
	return e
}

// step runs one stage of the test and logs how long it took.
func (e *e2e) step(name string, fn func()) {
	e.t.Helper()
	start := time.Now()
	e.t.Logf("== %s", name)
	fn()
	e.t.Logf("   done in %s", time.Since(start).Round(100*time.Millisecond))
}

func (e *e2e) tool(name string) string { return e.tools[name] }

func (e *e2e) opts(step string) cmdOpts {
	return cmdOpts{dir: e.root, env: e.env, log: filepath.Join(e.logs, step+".log")}
}

func (e *e2e) baseImage() {
	must(e.t, e.ctx, e.opts("base-image"), filepath.Join(e.root, "packer", "base", "build-base-image.sh"), "drover-base:bookworm")
}

func (e *e2e) packerBuild() {
	repo, tag, _ := strings.Cut(e.image, ":")
	must(e.t, e.ctx, e.opts("packer"), e.tool("packer"), "build", "-color=false",
		"-only=drover-node.docker.node",
		"-var", "artifacts_dir="+filepath.Join(e.root, "bin", "image"),
		"-var", "base_image=drover-base:bookworm",
		"-var", "image_repository="+repo, "-var", "image_tag="+tag,
		"-var", fmt.Sprintf(`docker_labels={%q=%q}`, "drover.e2e.run", e.runID),
		filepath.Join(e.root, "packer", "drover-node"))
	out := must(e.t, e.ctx, cmdOpts{}, "docker", "image", "inspect", "--format", "{{json .Config.Entrypoint}}", e.image)
	if !strings.Contains(out, "/usr/local/lib/drover/entrypoint") {
		e.t.Fatalf("image %s has entrypoint %s", e.image, out)
	}
	// What the image holds: versions, and the example plugins the repository has.
	info := must(e.t, e.ctx, cmdOpts{}, "docker", "run", "--rm", "--network=none", "--label", e.label,
		e.image, "cat", "/etc/drover/image")
	plugins, _ := filepath.Glob(filepath.Join(e.root, "plugins", "*", "main.go"))
	for _, p := range plugins {
		if name := filepath.Base(filepath.Dir(p)); !strings.Contains(info, name) {
			e.t.Fatalf("image %s lacks the plugin %s:\n%s", e.image, name, info)
		}
	}
	e.t.Logf("   %s", strings.Join(strings.Fields(info), " "))
}

func shortID(runID string) string {
	id := strings.ToLower(runID)
	var b strings.Builder
	for _, r := range id {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	s := b.String()
	if len(s) > 10 {
		s = s[len(s)-10:]
	}
	return s
}

func randomHex(t testing.TB, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// prepareData generates the demo data, uploads it and the job spec to
// MinIO, and runs the job locally for the reference output.
func (e *e2e) prepareData() {
	dir := filepath.Join(e.work, "data")
	_, err := sampledata.Generate(e.ctx, sampledata.Config{Dir: dir, Customers: 500, OrdersPerDay: 20000, Days: 3, End: "2026-11-20", Seed: 7})
	if err != nil {
		e.t.Fatal(err)
	}
	env := e.out.Env
	e.s3 = s3Client(e.t, e.out.S3Endpoint, env["AWS_ACCESS_KEY_ID"], e.secret, env["AWS_REGION"])
	// The operator (MinIO's root) uploads the inputs: the jobs' user may
	// only read them.
	admin := s3Client(e.t, e.out.S3Endpoint, "admin", e.rootPW, env["AWS_REGION"])
	uploadDir(e.t, e.ctx, admin, dir, "data", "demo")
	if _, err := admin.FPutObject(e.ctx, "data", jobSpecKey, filepath.Join(e.root, exampleJob), minio.PutObjectOptions{}); err != nil {
		e.t.Fatal(err)
	}
	e.checkJobsUserScope()
	ref := filepath.Join(e.work, "reference")
	must(e.t, e.ctx, e.opts("reference"), e.drover, "run", exampleJob, "--var", "data="+dir, "--var", "out="+ref)
	for _, s := range sinks {
		rows := e.head(filepath.Join(ref, s))
		if len(rows) < 2 {
			e.t.Fatalf("reference output %s has no rows", s)
		}
	}
}

// head returns the normalized rows of an output (a local path or s3:// URL).
func (e *e2e) head(path string) []string {
	e.t.Helper()
	o := e.opts("head")
	o.env = append(o.env, e.s3Env()...)
	return normalizeRows(must(e.t, e.ctx, o, e.drover, "head", path, "-n", "1000000"))
}

// s3Env points the host's drover at the cluster's MinIO.
func (e *e2e) s3Env() []string {
	env := []string{"AWS_SECRET_ACCESS_KEY=" + e.secret, "AWS_SESSION_TOKEN="}
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_REGION", "AWS_ENDPOINT_URL_S3"} {
		env = append(env, k+"="+e.out.Env[k])
	}
	return env
}

// checkOutput compares a run's committed output in MinIO with the local
// reference run, sink by sink.
func (e *e2e) checkOutput(run string) {
	e.t.Helper()
	for _, s := range sinks {
		if !exists(e.ctx, e.s3, "out", run+"/"+s+"/_SUCCESS") {
			e.t.Fatalf("s3://out/%s/%s/_SUCCESS is missing: the sink was not committed", run, s)
		}
		got := e.head(fmt.Sprintf("s3://out/%s/%s", run, s))
		want := e.head(filepath.Join(e.work, "reference", s))
		if d := diffRows(got, want); d != "" {
			e.t.Fatalf("s3://out/%s/%s differs from the local run: %s", run, s, d)
		}
		e.t.Logf("   s3://out/%s/%s: %d rows, equal to the local run", run, s, len(got)-1)
	}
}
