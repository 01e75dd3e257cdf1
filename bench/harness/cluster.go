package harness

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ClusterConfig says how the cluster suite (make bench-cluster, package
// bench/clusterbench) runs: the scale suite's queries through `drover
// submit` on Nomad executors, data and shuffle in S3 (MinIO), each beside a
// local `drover run` of the same query on the same data.
type ClusterConfig struct {
	ScaleConfig
	// DataURL is where the data set's tables are in S3 (s3://bucket/prefix,
	// holding <table>/*.parquet); OutURL and ShuffleURL prefixes for the
	// sinks and the shuffle.
	DataURL, OutURL, ShuffleURL string
	// Executors, Slots and ExecutorMemoryMB shape the executor job.
	Executors, Slots, ExecutorMemoryMB int
	// Fetch copies every object under an s3:// prefix into a local
	// directory (the sink's output, to be checksummed).
	Fetch func(ctx context.Context, url, dir string) error
	// Expected, if set, maps a query name to the answer DuckDB gave in a
	// scale report on the same data, checked too.
	Expected map[string]Result
	// Servers describes the servers (versions, addresses) for the report.
	Servers string
	// Progress, if set, gets the report after every query.
	Progress func(*ClusterReport)
}

// ClusterReport is one run of the cluster suite.
type ClusterReport struct {
	Date             string           `json:"date"`
	Machine          Machine          `json:"machine"`
	Config           ReportSettings   `json:"config"`
	Data             *Dataset         `json:"data"`
	DataURL          string           `json:"data_url"`
	Executors        int              `json:"executors"`
	Slots            int              `json:"slots"`
	ExecutorMemoryMB int              `json:"executor_memory_mb"`
	LocalMemory      int64            `json:"local_memory_bytes"`
	Servers          string           `json:"servers"`
	Queries          []*ClusterResult `json:"queries"`
	Wall             time.Duration    `json:"wall_ns"`
	Notes            string           `json:"notes,omitempty"`
}

// ClusterResult is one query on the cluster and locally.
type ClusterResult struct {
	Query   Query    `json:"query"`
	Local   ScaleRun `json:"local"`
	Cluster ScaleRun `json:"cluster"`
	// PeakExecutorRSS is the largest VmHWM of an executor process seen
	// while the query ran; ExecutorProcs how many executor processes.
	PeakExecutorRSS int64 `json:"peak_executor_rss_bytes"`
	ExecutorProcs   int   `json:"executor_procs"`
	// Agree: the cluster's answer equals the local one (and DuckDB's,
	// where Expected has it).
	Agree       bool   `json:"agree"`
	DuckChecked bool   `json:"duck_checked"`
	Error       string `json:"error,omitempty"`
}

// RunCluster runs the selected scale queries locally and on the cluster.
func RunCluster(ctx context.Context, cfg ClusterConfig) (*ClusterReport, error) {
	start := time.Now()
	base, err := cfg.Config.withDefaults()
	if err != nil {
		return nil, err
	}
	cfg.Config = base
	queries, err := selectFrom(ScaleQueries, cfg.Queries)
	if err != nil {
		return nil, err
	}
	ds, err := ensureData(ctx, cfg.Config)
	if err != nil {
		return nil, err
	}
	work, cleanup, err := workDir(cfg.WorkDir, "drover-cluster-")
	if err != nil {
		return nil, err
	}
	defer cleanup()
	base.Reps = 1
	r := newReport(ctx, base, ds)
	rep := &ClusterReport{Date: r.Date, Machine: r.Machine, Config: r.Config, Data: ds, DataURL: cfg.DataURL,
		Executors: cfg.Executors, Slots: cfg.Slots, ExecutorMemoryMB: cfg.ExecutorMemoryMB, LocalMemory: cfg.Memory,
		Servers: cfg.Servers}
	for i, q := range queries {
		res := &ClusterResult{Query: q}
		res.Local = runScaleDrover(ctx, cfg.ScaleConfig, filepath.Join(ds.Dir, "parquet"), q, filepath.Join(work, q.Name+"-local"), nil)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		watch := watchExecutors(cfg.Drover)
		res.Cluster = runClusterDrover(ctx, cfg, q, filepath.Join(work, q.Name+"-cluster"), i)
		res.PeakExecutorRSS, res.ExecutorProcs = watch()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		res.judge(cfg.Expected[q.Name])
		cfg.logf("%s: local %s; cluster %s, executors' peak %s; %s", q.Name, res.Local.brief(), res.Cluster.brief(),
			mib(res.PeakExecutorRSS), res.verdict())
		rep.Queries = append(rep.Queries, res)
		rep.Wall = time.Since(start)
		if cfg.Progress != nil {
			cfg.Progress(rep)
		}
	}
	rep.Wall = time.Since(start)
	return rep, nil
}

func (r *ClusterResult) judge(duck Result) {
	switch {
	case !r.Cluster.Completed:
		r.Error = "cluster run did not complete: " + r.Cluster.Error
	case !r.Local.Completed:
		r.Error = "local run did not complete: " + r.Local.Error
	case !r.Cluster.Sample.Result.Agrees(r.Local.Sample.Result):
		r.Error = fmt.Sprintf("WRONG ANSWER: cluster %s; local %s", r.Cluster.Sample.Result, r.Local.Sample.Result)
	case duck.Checksum != "" && !r.Cluster.Sample.Result.Agrees(duck):
		r.Error = fmt.Sprintf("WRONG ANSWER: cluster %s; DuckDB (scale report) %s", r.Cluster.Sample.Result, duck)
	default:
		r.Agree, r.DuckChecked = true, duck.Checksum != ""
	}
}

func (r *ClusterResult) verdict() string {
	if r.Agree {
		return "answers agree: " + r.Local.Sample.Result.String()
	}
	return r.Error
}

// runClusterDrover runs q with `drover submit` on the cluster, reading the
// data in S3 and writing its sink there, then fetches and checks the
// output.
func runClusterDrover(ctx context.Context, cfg ClusterConfig, q Query, local string, n int) ScaleRun {
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	defer os.RemoveAll(local)
	fail := func(err error) ScaleRun { return ScaleRun{Error: err.Error()} }
	job, _, err := q.files(cfg.QueryDir)
	if err != nil {
		return fail(err)
	}
	if err := os.MkdirAll(local, 0o755); err != nil {
		return fail(err)
	}
	metrics := filepath.Join(local, "metrics.json")
	events := filepath.Join(local, "events")
	out := fmt.Sprintf("%s/%02d-%s", strings.TrimSuffix(cfg.OutURL, "/"), n, q.Name)
	args := []string{"submit", job, "--var", "data=" + strings.TrimSuffix(cfg.DataURL, "/"), "--var", "out=" + out,
		"--executors", strconv.Itoa(cfg.Executors), "--executor-slots", strconv.Itoa(cfg.Slots),
		"--executor-memory", strconv.Itoa(cfg.ExecutorMemoryMB), "--executor-cpu", "100",
		"--executor-binary", cfg.Drover, "--shuffle-dir", strings.TrimSuffix(cfg.ShuffleURL, "/") + "/" + q.Name,
		"--metrics-json", metrics, "--event-log-dir", events, "--ui-addr", "off"}
	args = append(args, q.DroverArgs...)
	cmd := exec.CommandContext(ctx, cfg.Drover, args...)
	s, _, err := runMeasured(cmd)
	if err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("%w after %s", ctx.Err(), cfg.Timeout)
		}
		return fail(err)
	}
	run := ScaleRun{Sample: s}
	if err := run.readSummary(metrics, events); err != nil {
		return fail(err)
	}
	// run.Sample.PeakRSS is now the driver's (its --metrics-json); the
	// executors are measured apart.
	dir := filepath.Join(local, "out")
	if err := cfg.Fetch(ctx, out, dir); err != nil {
		return fail(fmt.Errorf("fetch %s: %w", out, err))
	}
	if run.Sample.Result, err = readResult(dir, q.SortedBy); err != nil {
		return fail(fmt.Errorf("result: %w", err))
	}
	if run.Sample.Result.Unsorted != "" {
		return fail(fmt.Errorf("result is not sorted by %v: %s", q.SortedBy, run.Sample.Result.Unsorted))
	}
	run.Completed = true
	return run
}

// watchExecutors polls /proc every 250 ms for `<bin> executor` processes
// (what Nomad's raw_exec runs) and keeps the largest peak RSS seen. The
// returned function stops the watch and reports that peak and how many
// executor processes there were.
func watchExecutors(bin string) func() (int64, int) {
	var mu sync.Mutex
	peaks := map[int]int64{}
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			for _, pid := range executorPIDs(bin) {
				if hwm := statusKB(fmt.Sprintf("/proc/%d/status", pid), "VmHWM:"); hwm > 0 {
					mu.Lock()
					peaks[pid] = max(peaks[pid], hwm)
					mu.Unlock()
				}
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() (int64, int) {
		close(done)
		<-stopped
		var peak int64
		for _, v := range peaks {
			peak = max(peak, v)
		}
		return peak, len(peaks)
	}
}

// executorPIDs lists the processes running `<bin> executor …`.
func executorPIDs(bin string) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		if err != nil {
			continue
		}
		argv := strings.Split(string(b), "\x00")
		if len(argv) >= 2 && argv[0] == bin && argv[1] == "executor" {
			pids = append(pids, pid)
		}
	}
	return pids
}

// Write stores the report as dir/<date>-cluster-sf<SF>.md and .json.
func (r *ClusterReport) Write(dir string) (md, js string, err error) {
	name := r.Date + "-cluster-sf" + strconv.FormatFloat(r.Config.ScaleFactor, 'f', -1, 64)
	return writeReport(dir, name, r, r.Markdown())
}

// Failed lists the queries that failed or disagreed.
func (r *ClusterReport) Failed() []string {
	var out []string
	for _, q := range r.Queries {
		if !q.Agree {
			out = append(out, q.Query.Name+": "+q.Error)
		}
	}
	return out
}

// Markdown renders the report.
func (r *ClusterReport) Markdown() string {
	var b strings.Builder
	c := r.Config
	fmt.Fprintf(&b, "# Drover on Nomad + Consul + MinIO (loopback) vs `drover run`: TPC-H SF %g (%s)\n\n", c.ScaleFactor, r.Date)
	fmt.Fprintf(&b, "%s, %d cores, %s; %s.\n", r.Machine.CPU, r.Machine.Cores, r.Machine.Go, r.Machine.Drover)
	fmt.Fprintf(&b, "Servers: %s. Cluster: `drover submit --executors %d --executor-slots %d --executor-memory %d` "+
		"(raw_exec; each executor's budget is 60%% of its %d MB), data read from `%s`, shuffle and sinks in MinIO. "+
		"Local: `drover run --parallelism %d --memory %d` on the same data from local disk. One run of each per query; "+
		"**everything — MinIO, Nomad, Consul, %d executors and the driver — shares the machine's %d cores**, so the "+
		"cluster/local ratio measures the cost of going through S3 and gRPC on one box, not a speed-up.\n\n",
		r.Servers, r.Executors, r.Slots, r.ExecutorMemoryMB, r.ExecutorMemoryMB, r.DataURL, c.Threads, r.LocalMemory,
		r.Executors, r.Machine.Cores)
	b.WriteString("## Per query\n\n")
	b.WriteString("| query | cluster completed | answers | wall local | wall cluster | cluster/local | peak executor RSS | executors seen | driver peak RSS | spilled (cluster) | shuffled | S3 GET | S3 PUT | S3 LIST | S3 DELETE |\n")
	b.WriteString("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, q := range r.Queries {
		l, k := q.Local, q.Cluster
		ans := "**equal local**"
		if q.DuckChecked {
			ans += " and DuckDB"
		}
		if !q.Agree {
			ans = "**" + firstWord(q.Error) + "**"
		}
		var get, put, list, del int64
		for _, st := range k.Stages {
			get, put, list, del = get+st.S3Get, put+st.S3Put, list+st.S3List, del+st.S3Delete
		}
		rat := "–"
		if l.Completed && k.Completed {
			rat = fmt.Sprintf("%.2f", k.Sample.Wall.Seconds()/l.Sample.Wall.Seconds())
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %d | %s | %s | %s | %d | %d | %d | %d |\n", q.Query.Name,
			yesNo(k.Completed), ans, runSecs(l, l.Sample.Wall.Seconds()), runSecs(k, k.Sample.Wall.Seconds()), rat,
			mib(q.PeakExecutorRSS), q.ExecutorProcs, runMiB(k, k.Sample.PeakRSS), runMiB(k, k.SpilledBytes),
			runMiB(k, k.ShuffleBytes), get, put, list, del)
	}
	b.WriteString("\nS3 columns: requests the stages' tasks made (the driver's own — planning, commit, cleanup — are in the JSON's " +
		"summary, not here).\n\n")
	for _, q := range r.Queries {
		if q.Error != "" {
			fmt.Fprintf(&b, "- **%s**: %s\n", q.Query.Name, oneLine(q.Error))
		}
	}
	b.WriteString("\n## S3 requests per stage (cluster)\n\n")
	b.WriteString("| query | stage | tasks | wall | GET | GET bytes | PUT | PUT bytes | LIST | DELETE | spilled | task skew | adaptive |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, q := range r.Queries {
		for _, st := range q.Cluster.Stages {
			skew := "–"
			if st.TaskSkew > 0 {
				skew = fmt.Sprintf("%.1f×", st.TaskSkew)
			}
			fmt.Fprintf(&b, "| %s | %d | %d | %s | %d | %s | %d | %s | %d | %d | %s | %s | %s |\n", q.Query.Name, st.ID, st.Tasks,
				secs(st.Wall), st.S3Get, mib(st.S3GetBytes), st.S3Put, mib(st.S3PutBytes), st.S3List, st.S3Delete,
				mib(st.SpilledBytes), skew, oneLine(st.Adaptive))
		}
	}
	b.WriteString(clusterMethod)
	if r.Notes != "" {
		b.WriteString("\n" + strings.TrimSpace(r.Notes) + "\n")
	}
	fmt.Fprintf(&b, "\nThe whole suite took %.1f minutes.\n", r.Wall.Minutes())
	return b.String()
}

func firstWord(s string) string {
	if i := strings.IndexAny(s, ":"); i > 0 {
		return s[:i]
	}
	return s
}

const clusterMethod = `
## How it was measured

- ` + "`make bench-cluster`" + ` runs ` + "`BenchmarkCluster`" + ` (bench/clusterbench): it starts real MinIO, Consul and Nomad dev
  servers on free loopback ports (internal/testutil, the pinned binaries in bin/), uploads the data set's Parquet files
  to MinIO, then per query runs ` + "`drover run`" + ` on the local files and ` + "`drover submit`" + ` against the servers.
- Answers: the cluster's sink is downloaded and checksummed like the local output (row count and an
  order-independent hash of canonicalized rows); where a scale report on the same data is given, DuckDB's answer
  from it is checked too.
- S3 requests per stage and spill come from ` + "`drover submit --metrics-json`" + `; task durations from the run's event log.
  Peak executor RSS is the largest VmHWM of any ` + "`drover executor`" + ` process, polled from /proc every 250 ms while
  the query ran (raw_exec runs them as plain child processes of the Nomad agent).
- Wall time of the cluster run includes starting the executor job (Nomad placement, Consul health checks) and
  purging it: a fixed cost of some seconds per query.
`

// EnsureData returns the data set for cfg's scale factor and seed,
// generating it when it is missing (the cluster suite uploads it).
func EnsureData(ctx context.Context, cfg Config) (*Dataset, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return ensureData(ctx, cfg)
}
