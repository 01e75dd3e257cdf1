package cluster

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	consul "github.com/hashicorp/consul/api"

	"github.com/drover-etl/drover/cluster"
	"github.com/drover-etl/drover/driver"
	"github.com/drover-etl/drover/engine"
	"github.com/drover-etl/drover/executor"
	"github.com/drover-etl/drover/internal/testutil"
	"github.com/drover-etl/drover/metrics"
	"github.com/drover-etl/drover/s3cost"
	"github.com/drover-etl/drover/storage"
)

// setupMinIO starts MinIO only, with the buckets the demo job uses.
func setupMinIO(t *testing.T) *testutil.MinIO {
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
	return m
}

// TestS3RequestCountsPerStage runs the S3-in, S3-shuffle, S3-out demo job
// in-process and checks the per-stage request counts against what the
// stages did, and against the process-wide Prometheus counters: every
// request the run made is attributed to a task or to the driver.
func TestS3RequestCountsPerStage(t *testing.T) {
	setupMinIO(t)
	genDemo(t)
	ctx := s3cost.WithRecorder(context.Background(), s3cost.NewRecorder())
	before := counterSum(t, "drover_s3_requests_total")
	sum := runInProcess(t, ctx, "counts")
	total := sum.S3()
	if d := counterSum(t, "drover_s3_requests_total") - before; d != float64(total.Requests()) {
		t.Errorf("drover_s3_requests_total grew by %v during the run, but stages and driver account for %d requests", d, total.Requests())
	}
	for _, st := range sum.Stages {
		checkStageUsage(t, st)
	}
	// The driver listed the inputs (planning), completed the sink's
	// uploads and deleted the shuffle objects.
	if d := sum.Driver; d.List.Requests == 0 || d.Put.Requests == 0 || d.Delete.Requests == 0 {
		t.Errorf("driver usage %+v: want LISTs (planning), PUTs (commit) and DELETEs (cleanup)", d)
	}
	if cost := s3cost.DefaultPrices.Cost(total); cost <= 0 {
		t.Errorf("estimated cost of %d requests is %v", total.Requests(), cost)
	}
	scrapeInProcess(t)
}

func runInProcess(t *testing.T, ctx context.Context, name string) *driver.Summary {
	t.Helper()
	path := filepath.Join(t.TempDir(), "job.hcl")
	os.WriteFile(path, []byte(jobHCL), 0o644)
	c, err := engine.Compile(ctx, path, engine.Options{Vars: map[string]string{"name": name},
		Parallelism: 3, Partitions: 3, BroadcastThresholdBytes: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ex := executor.NewLocal(&executor.Runtime{Name: "local"}, 3)
	ex.Serialize = true // usage must survive the wire, as from a remote executor
	sum, err := engine.Run(ctx, c, ex, engine.RunOptions{ShuffleDir: "s3://shuffle/" + name})
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// checkStageUsage holds one stage's S3 counts to what it read and wrote.
func checkStageUsage(t *testing.T, st driver.StageStats) {
	t.Helper()
	m, u := st.Metrics, st.Metrics.S3
	if u.Get.Requests == 0 || u.Put.Requests < int64(st.Tasks) {
		t.Errorf("stage %d (%d tasks): %+v; want GETs and at least one PUT per task", st.ID, st.Tasks, u)
	}
	if u.Put.Bytes < m.BytesWritten {
		t.Errorf("stage %d: PUT bytes %d < bytes written %d", st.ID, u.Put.Bytes, m.BytesWritten)
	}
	if u.Get.Bytes < m.ShuffleBytesRead {
		t.Errorf("stage %d: GET bytes %d < shuffle bytes read %d", st.ID, u.Get.Bytes, m.ShuffleBytesRead)
	}
	if u.Errors != 0 {
		t.Errorf("stage %d: %d failed S3 requests against a healthy server", st.ID, u.Errors)
	}
}

// counterSum adds up every series of a counter in the metrics registry.
func counterSum(t *testing.T, name string) float64 {
	t.Helper()
	mfs, err := metrics.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, mf := range mfs {
		if mf.GetName() == name {
			for _, m := range mf.GetMetric() {
				sum += m.GetCounter().GetValue()
			}
		}
	}
	return sum
}

// scrapeInProcess reads this process's /metrics over HTTP after a run.
func scrapeInProcess(t *testing.T) {
	t.Helper()
	srv := httptest.NewServer(metrics.Handler())
	defer srv.Close()
	body := get(t, srv.URL+"/metrics")
	for _, series := range []string{
		`drover_s3_requests_total{class="get",op="get"}`,
		`drover_s3_requests_total{class="put",op="upload_part"}`,
		`drover_s3_requests_total{class="list",op="list"}`,
		`drover_executor_tasks_total{state="succeeded"}`,
		`drover_executor_shuffle_bytes_written_total`,
		`drover_driver_task_attempts_total{result="succeeded"}`,
	} {
		if v := sample(body, series); v <= 0 {
			t.Errorf("/metrics: %s = %v, want > 0", series, v)
		}
	}
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s\n%s", url, resp.Status, b)
	}
	return string(b)
}

// sample is the value of one series in a text exposition (-1: absent).
func sample(body, series string) float64 {
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		return -1
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	return v
}

// TestRunCLIPrintsS3Cost runs `drover run` on S3 input and output and
// checks the cost table and the --metrics-json report at custom prices.
func TestRunCLIPrintsS3Cost(t *testing.T) {
	setupMinIO(t)
	genDemo(t)
	bin := buildDrover(t)
	dir := t.TempDir()
	job, report := filepath.Join(dir, "job.hcl"), filepath.Join(dir, "metrics.json")
	os.WriteFile(job, []byte(jobHCL), 0o644)
	cmd := exec.Command(bin, "run", job, "--var", "name=cli-cost", "--s3-prices", "put=1,get=0.5", "--metrics-json", report)
	cmd.Env = os.Environ()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("drover run: %v\n%s", err, out)
	}
	t.Logf("drover run:\n%s", out)
	for _, want := range []string{"S3 requests and estimated cost (PUT $1, GET $0.5, LIST $0.005, DELETE free per 1,000 requests):",
		"   driver ", "    total ", "estimated S3 cost of this run: $"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	var m struct {
		S3 struct {
			Prices s3cost.Prices `json:"prices_per_1000_requests"`
			Total  struct {
				Usage   s3cost.Usage `json:"usage"`
				Dollars float64      `json:"cost_usd"`
			} `json:"total"`
		} `json:"s3"`
	}
	b, err := os.ReadFile(report)
	if err != nil || json.Unmarshal(b, &m) != nil {
		t.Fatalf("--metrics-json: %v\n%s", err, b)
	}
	u := m.S3.Total.Usage
	want := float64(u.Put.Requests)*1/1000 + float64(u.Get.Requests)*0.5/1000 + float64(u.List.Requests)*0.005/1000
	if u.Get.Requests == 0 || u.Put.Requests == 0 || m.S3.Total.Dollars != m.S3.Prices.Cost(u) || fmt.Sprintf("%.9f", m.S3.Total.Dollars) != fmt.Sprintf("%.9f", want) {
		t.Errorf("report total %+v costs %v at %+v, want %v", u, m.S3.Total.Dollars, m.S3.Prices, want)
	}
}

// TestExecutorMetricsThroughConsul runs the demo job on Nomad executors,
// checks that their per-stage S3 counts came back over the wire, then
// finds every executor's /metrics through Consul, the way Prometheus's
// consul_sd_configs does, and scrapes it.
func TestExecutorMetricsThroughConsul(t *testing.T) {
	e := setup(t)
	genDemo(t)
	ctx := context.Background()
	c := compile(t, "prom")
	run := engine.NewRunID()
	cl, err := cluster.Start(ctx, cluster.Config{Executors: 2, SlotsPerExecutor: 2, Binary: e.binary, CPU: 100, MemoryMB: 256,
		Env: e.s3Env(), Secrets: e.s3Secrets()}, c.Job.Name, run)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close(context.Background())
	waitLive(t, cl, 2)
	sum, err := engine.Run(ctx, c, cl.Executor(), engine.RunOptions{ShuffleDir: "s3://shuffle/prom", Run: run})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range sum.Stages {
		checkStageUsage(t, st)
	}
	targets := metricsTargets(t, cl.JobID)
	if len(targets) != 2 {
		t.Fatalf("Consul lists %d metrics targets for %s, want 2: %v", len(targets), cl.JobID, targets)
	}
	var tasks, gets float64
	for _, url := range targets {
		body := get(t, url)
		tasks += max(sample(body, `drover_executor_tasks_total{state="succeeded"}`), 0)
		gets += max(sample(body, `drover_s3_requests_total{class="get",op="get"}`), 0)
	}
	var attempts int
	for _, st := range sum.Stages {
		attempts += st.Tasks
	}
	if tasks < float64(attempts) || gets == 0 {
		t.Errorf("executors report %v succeeded tasks (want ≥ %d) and %v S3 GETs", tasks, attempts, gets)
	}
}

// metricsTargets lists the scrape URLs that Consul's drover-metrics
// service holds for one executor job.
func metricsTargets(t *testing.T, jobID string) []string {
	t.Helper()
	cc, err := consul.NewClient(consul.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	svcs, _, err := cc.Catalog().Service(cluster.MetricsService, "prometheus", nil)
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, s := range svcs {
		if s.ServiceMeta["drover_job"] != jobID {
			continue
		}
		host := s.ServiceAddress
		if host == "" {
			host = s.Address
		}
		urls = append(urls, fmt.Sprintf("http://%s:%d%s", host, s.ServicePort, s.ServiceMeta["metrics_path"]))
	}
	return urls
}
