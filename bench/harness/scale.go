package harness

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/drover-etl/drover/driver"
	"github.com/drover-etl/drover/eventlog"
)

// The scale suite (make bench-scale, tpchbench -scale) runs heavier
// queries once per engine under a memory budget well below the data, so
// that Drover's operators must spill: what is measured is that every query
// completes with the same answer as DuckDB, with wall, CPU, peak RSS and
// spilled bytes beside it. Timings are single runs, not medians.

// ScaleQueries is the scale suite, in report order.
var ScaleQueries = []Query{
	{
		Name: "groupby_orderkey", Title: "group by l_orderkey (1.5 M groups per SF)", Job: "groupby_orderkey",
		Reads: []TableColumns{{"lineitem", []string{"l_orderkey", "l_quantity", "l_extendedprice"}}},
	},
	{
		Name: "join_lineitem_orders", Title: "lineitem ⋈ orders, shuffled", Job: "join_lineitem_orders",
		DroverArgs: shuffledJoins,
		Reads: []TableColumns{
			{"lineitem", []string{"l_orderkey", "l_extendedprice"}},
			{"orders", []string{"o_orderkey", "o_orderpriority"}},
		},
	},
	{
		Name: "sort_lineitem", Title: "sort lineitem (9 columns) by (l_shipdate, l_orderkey, l_linenumber) → Parquet", Job: "sort_lineitem",
		Reads: []TableColumns{{"lineitem", []string{"l_orderkey", "l_partkey", "l_suppkey", "l_linenumber", "l_quantity",
			"l_extendedprice", "l_discount", "l_shipdate", "l_comment"}}},
		SortedBy: []string{"l_shipdate", "l_orderkey", "l_linenumber"},
	},
	{
		Name: "q1", Title: "TPC-H Q1 (4 groups)", Job: "q1",
		Reads: []TableColumns{{"lineitem", []string{"l_returnflag", "l_linestatus", "l_quantity",
			"l_extendedprice", "l_discount", "l_tax", "l_shipdate"}}},
	},
	{Name: "q3", Title: "TPC-H Q3 (optimizer's join choices)", Job: "q3", Reads: q3Reads},
	{
		Name: "q9", Title: "TPC-H Q9 (six tables, 175 groups)", Job: "q9",
		Reads: []TableColumns{
			{"part", []string{"p_partkey", "p_name"}},
			{"supplier", []string{"s_suppkey", "s_nationkey"}},
			{"lineitem", []string{"l_orderkey", "l_partkey", "l_suppkey", "l_quantity", "l_extendedprice", "l_discount"}},
			{"partsupp", []string{"ps_partkey", "ps_suppkey", "ps_supplycost"}},
			{"orders", []string{"o_orderkey", "o_orderdate"}},
			{"nation", []string{"n_nationkey", "n_name"}},
		},
	},
	{
		Name: "q18", Title: "TPC-H Q18 (IN over a group by l_orderkey)", Job: "q18",
		Reads: []TableColumns{
			{"customer", []string{"c_custkey", "c_name"}},
			{"orders", []string{"o_orderkey", "o_custkey", "o_orderdate", "o_totalprice"}},
			{"lineitem", []string{"l_orderkey", "l_quantity"}},
		},
	},
	{
		Name: "window_dedup", Title: "row_number() over (partition by l_orderkey order by l_shipdate desc) = 1", Job: "window_dedup",
		Reads: []TableColumns{{"lineitem", []string{"l_orderkey", "l_linenumber", "l_shipdate", "l_extendedprice"}}},
	},
}

// ScaleConfig says what the scale suite runs.
type ScaleConfig struct {
	Config
	// Memory is Drover's --memory: the budget all its task slots share
	// (bytes).
	Memory int64
	// DuckMemory is DuckDB's memory_limit (bytes; default Memory).
	DuckMemory int64
	// Cgroup runs each Drover process in a memory cgroup capped at the
	// allowance Memory is cut from (Memory / 60 %) and without --memory, so
	// the budget Drover uses is the default it finds from the cgroup: the
	// proof that the budget holds under a real cap (no OOM kill). Needs
	// root and a writable cgroup memory controller.
	Cgroup bool
	// Skew configures the skewed join runs (Rows 0: none).
	Skew SkewConfig
	// Progress, if set, gets the report after every query, so that an
	// interrupted run leaves the queries it finished.
	Progress func(*ScaleReport)
}

// ScaleReport is one run of the scale suite.
type ScaleReport struct {
	Date    string         `json:"date"`
	Machine Machine        `json:"machine"`
	Config  ReportSettings `json:"config"`
	// MemoryBytes is Drover's --memory, DuckMemoryBytes DuckDB's
	// memory_limit.
	MemoryBytes int64 `json:"memory_bytes"`
	// CgroupCapBytes is each Drover process's cgroup memory cap (0: not
	// run in a cgroup; then MemoryBytes is its --memory).
	CgroupCapBytes  int64          `json:"cgroup_cap_bytes,omitempty"`
	DuckMemoryBytes int64          `json:"duck_memory_bytes"`
	Data            *Dataset       `json:"data"`
	Queries         []*ScaleResult `json:"queries"`
	Skew            *SkewResult    `json:"skew,omitempty"`
	Wall            time.Duration  `json:"wall_ns"`
	Notes           string         `json:"notes,omitempty"`
}

// ScaleResult is one query of the scale suite: one run per engine.
type ScaleResult struct {
	Query     Query    `json:"query"`
	InputRows int64    `json:"input_rows"`
	Drover    ScaleRun `json:"drover"`
	DuckDB    ScaleRun `json:"duckdb"`
	// Agree is set when both engines completed with the same answer;
	// Error says what went wrong otherwise.
	Agree bool   `json:"agree"`
	Error string `json:"error,omitempty"`
}

// ScaleRun is one engine's run of a query.
type ScaleRun struct {
	Completed bool   `json:"completed"`
	Error     string `json:"error,omitempty"`
	Sample    Sample `json:"sample"`
	// Drover only: from --metrics-json and the run's event log.
	SpilledBytes int64         `json:"spilled_bytes,omitempty"`
	ShuffleBytes int64         `json:"shuffle_bytes,omitempty"`
	Tasks        int           `json:"tasks,omitempty"`
	Stages       []StageFigure `json:"stages,omitempty"`
	// Cgroup runs only: whether the kernel OOM-killed the process in its
	// capped cgroup, and the cgroup's peak usage (page cache included).
	OOMKilled  bool  `json:"oom_killed,omitempty"`
	CgroupPeak int64 `json:"cgroup_peak_bytes,omitempty"`
}

// StageFigure is one Drover stage as run.
type StageFigure struct {
	ID           int           `json:"id"`
	Tasks        int           `json:"tasks"`
	Attempts     int           `json:"attempts"`
	Wall         time.Duration `json:"wall_ns"`
	RowsOut      int64         `json:"rows_out"`
	BytesWritten int64         `json:"bytes_written"`
	SpilledBytes int64         `json:"spilled_bytes"`
	// S3 requests by kind and bytes (cluster runs).
	S3Get, S3Put, S3List, S3Delete int64 `json:",omitempty"`
	S3GetBytes, S3PutBytes         int64 `json:",omitempty"`
	// Task durations of the succeeded attempts (event log): median, max,
	// and max/median, the stage's task-time skew.
	TaskMedian time.Duration `json:"task_median_ns,omitempty"`
	TaskMax    time.Duration `json:"task_max_ns,omitempty"`
	TaskSkew   float64       `json:"task_skew,omitempty"`
	// Adaptive is what adaptive execution changed, in Drover's words;
	// SkewSplits how many skewed join partitions it split.
	Adaptive   string `json:"adaptive,omitempty"`
	SkewSplits int    `json:"skew_splits,omitempty"`
}

// RunScale runs the scale suite: each query once on each engine, under
// the memory budgets, answers compared; then the skewed join.
func RunScale(ctx context.Context, cfg ScaleConfig) (*ScaleReport, error) {
	start := time.Now()
	base, err := cfg.Config.withDefaults()
	if err != nil {
		return nil, err
	}
	cfg.Config = base
	if cfg.Memory <= 0 {
		return nil, fmt.Errorf("scale suite: a memory budget (-memory) is required")
	}
	if cfg.DuckMemory <= 0 {
		cfg.DuckMemory = cfg.Memory
	}
	// -query skew_join runs the skewed join alone.
	var queries []Query
	if len(cfg.Queries) != 1 || cfg.Queries[0] != skewQuery.Name {
		if queries, err = selectFrom(ScaleQueries, cfg.Queries); err != nil {
			return nil, err
		}
	}
	ds, err := ensureData(ctx, cfg.Config)
	if err != nil {
		return nil, err
	}
	work, cleanup, err := workDir(cfg.WorkDir, "drover-scale-")
	if err != nil {
		return nil, err
	}
	defer cleanup()
	base.Reps = 1
	r := newReport(ctx, base, ds)
	rep := &ScaleReport{Date: r.Date, Machine: r.Machine, Config: r.Config, MemoryBytes: cfg.Memory,
		DuckMemoryBytes: cfg.DuckMemory, Data: ds}
	if cfg.Cgroup {
		rep.CgroupCapBytes = cgroupCap(cfg.Memory)
	}
	for _, q := range queries {
		res := &ScaleResult{Query: q, InputRows: ds.inputRows(q)}
		dir := filepath.Join(ds.Dir, "parquet")
		res.Drover = runScaleDrover(ctx, cfg, dir, q, filepath.Join(work, q.Name+"-drover"), nil)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		res.DuckDB = runScaleDuck(ctx, cfg, tableGlobs(ds, q), q, filepath.Join(work, q.Name+"-duckdb"))
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		res.judge()
		cfg.logf("%s: drover %s; duckdb %s; %s", q.Name, res.Drover.brief(), res.DuckDB.brief(), res.verdict())
		rep.Queries = append(rep.Queries, res)
		rep.Wall = time.Since(start)
		if cfg.Progress != nil {
			cfg.Progress(rep)
		}
	}
	if cfg.Skew.Rows > 0 {
		if rep.Skew, err = runSkew(ctx, cfg, work); err != nil {
			return nil, fmt.Errorf("skewed join: %w", err)
		}
	}
	rep.Wall = time.Since(start)
	return rep, nil
}

// selectFrom picks queries of a suite by name; an empty list means all.
func selectFrom(suite []Query, names []string) ([]Query, error) {
	if len(names) == 0 {
		return suite, nil
	}
	var out []Query
	for _, n := range names {
		found := false
		for _, q := range suite {
			if q.Name == n {
				out, found = append(out, q), true
			}
		}
		if !found {
			var all []string
			for _, q := range suite {
				all = append(all, q.Name)
			}
			return nil, fmt.Errorf("unknown query %q (want one of %s)", n, strings.Join(all, ", "))
		}
	}
	return out, nil
}

func tableGlobs(ds *Dataset, q Query) map[string]string {
	m := map[string]string{}
	for _, t := range q.tables() {
		m[t] = filepath.Join(ds.ParquetDir(t), "*.parquet")
	}
	return m
}

// judge compares the engines' answers.
func (r *ScaleResult) judge() {
	switch {
	case !r.Drover.Completed:
		r.Error = "drover did not complete: " + r.Drover.Error
	case !r.DuckDB.Completed:
		// DuckDB failing under its limit is a result, not Drover's error;
		// Drover's answer is then unchecked, which the report says.
		r.Error = "duckdb did not complete (drover's answer unchecked): " + r.DuckDB.Error
	case !r.Drover.Sample.Result.Agrees(r.DuckDB.Sample.Result):
		r.Error = fmt.Sprintf("WRONG ANSWER: drover %s; duckdb %s", r.Drover.Sample.Result, r.DuckDB.Sample.Result)
	default:
		r.Agree = true
	}
}

func (r *ScaleResult) verdict() string {
	if r.Agree {
		return "answers agree: " + r.DuckDB.Sample.Result.String()
	}
	return r.Error
}

func (r ScaleRun) brief() string {
	if !r.Completed {
		return "FAILED"
	}
	return fmt.Sprintf("%.1f s, %s peak, %s spilled", r.Sample.Wall.Seconds(), mib(r.Sample.PeakRSS), mib(r.SpilledBytes))
}

// runScaleDrover runs q with `drover run` under the memory budget, with
// extra flags, reads its run summary and event log, checks and removes
// the output. A failure is recorded in the run, not returned.
func runScaleDrover(ctx context.Context, cfg ScaleConfig, data string, q Query, out string, extra []string) ScaleRun {
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	defer os.RemoveAll(out)
	fail := func(err error) ScaleRun { return ScaleRun{Error: err.Error()} }
	job, _, err := q.files(cfg.QueryDir)
	if err != nil {
		return fail(err)
	}
	metrics, events := out+".metrics.json", out+".events"
	defer os.Remove(metrics)
	defer os.RemoveAll(events)
	args := []string{"run", job, "--var", "data=" + data, "--var", "out=" + out,
		"--parallelism", strconv.Itoa(cfg.Threads), "--metrics-json", metrics,
		"--event-log-dir", events, "--ui-addr", "off"}
	if !cfg.Cgroup {
		args = append(args, "--memory", strconv.FormatInt(cfg.Memory, 10))
	}
	args = append(append(args, q.DroverArgs...), extra...)
	if err := os.MkdirAll(out+".tmp", 0o755); err != nil {
		return fail(err)
	}
	defer os.RemoveAll(out + ".tmp")
	cmd := exec.CommandContext(ctx, cfg.Drover, args...)
	// Spill files and the local shuffle go to TMPDIR: a directory per run,
	// removed after it.
	cmd.Env = append(os.Environ(), "GOMAXPROCS="+strconv.Itoa(cfg.Threads), "TMPDIR="+out+".tmp")
	var s Sample
	var oom bool
	var peak int64
	if cfg.Cgroup {
		s, oom, peak, err = runInCgroup(cmd, cgroupCap(cfg.Memory))
	} else {
		s, _, err = runMeasured(cmd)
	}
	if oom {
		return ScaleRun{Error: fmt.Sprintf("OOM-killed in its %s cgroup: %v", mib(cgroupCap(cfg.Memory)), err), OOMKilled: true, CgroupPeak: peak}
	}
	if err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("%w after %s", ctx.Err(), cfg.Timeout)
		}
		return fail(err)
	}
	run := ScaleRun{Sample: s, CgroupPeak: peak}
	if err := run.readSummary(metrics, events); err != nil {
		return fail(err)
	}
	if run.Sample.Result, err = readResult(out, q.SortedBy); err != nil {
		return fail(fmt.Errorf("result: %w", err))
	}
	if run.Sample.Result.Unsorted != "" {
		return fail(fmt.Errorf("result is not sorted by %v: %s", q.SortedBy, run.Sample.Result.Unsorted))
	}
	run.Completed = true
	return run
}

// runMetrics is what `drover run --metrics-json` writes.
type runMetrics struct {
	driver.Summary
	SinkStages []int `json:"sink_stages"`
	PeakRSS    int64 `json:"peak_rss_bytes"`
}

// readSummary fills the run's stage figures from the run summary and the
// task durations from the event log (a directory of runs, one here).
func (r *ScaleRun) readSummary(metrics, events string) error {
	b, err := os.ReadFile(metrics)
	if err != nil {
		return fmt.Errorf("drover metrics: %w", err)
	}
	var m runMetrics
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("drover metrics %s: %w", metrics, err)
	}
	if m.PeakRSS > 0 {
		r.Sample.PeakRSS = m.PeakRSS
	}
	sink := map[int]bool{}
	for _, id := range m.SinkStages {
		sink[id] = true
	}
	durations, err := taskDurations(events)
	if err != nil {
		return err
	}
	for _, st := range m.Stages {
		f := StageFigure{ID: st.ID, Tasks: st.Tasks, Attempts: st.Attempts, Wall: st.Wall,
			RowsOut: st.Metrics.RowsOut, BytesWritten: st.Metrics.BytesWritten, SpilledBytes: st.Metrics.SpilledBytes,
			S3Get: st.Metrics.S3.Get.Requests, S3Put: st.Metrics.S3.Put.Requests, S3List: st.Metrics.S3.List.Requests,
			S3Delete: st.Metrics.S3.Delete.Requests, S3GetBytes: st.Metrics.S3.Get.Bytes, S3PutBytes: st.Metrics.S3.Put.Bytes}
		if st.Adaptive != nil {
			f.Adaptive, f.SkewSplits = st.Adaptive.String(), len(st.Adaptive.Skew)
		}
		if ds := durations[st.ID]; len(ds) > 0 {
			sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
			f.TaskMedian, f.TaskMax = ds[len(ds)/2], ds[len(ds)-1]
			if f.TaskMedian > 0 {
				f.TaskSkew = float64(f.TaskMax) / float64(f.TaskMedian)
			}
		}
		r.Stages = append(r.Stages, f)
		r.SpilledBytes += st.Metrics.SpilledBytes
		r.Tasks += st.Tasks
		if !sink[st.ID] {
			r.ShuffleBytes += st.Metrics.BytesWritten
		}
	}
	r.Sample.ShuffleBytes = r.ShuffleBytes
	return nil
}

// taskDurations reads the succeeded task attempts' durations per stage
// from the event logs under dir (sample attempts left out).
func taskDurations(dir string) (map[int][]time.Duration, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*", "events-*.jsonl"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	out := map[int][]time.Duration{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		for _, line := range strings.Split(string(b), "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			var e eventlog.Event
			if err := json.Unmarshal([]byte(line), &e); err != nil {
				continue // a torn last line
			}
			if e.Type != eventlog.TaskEnd || e.Task == nil || e.Task.Sample || e.Task.Status != eventlog.StatusSucceeded {
				continue
			}
			out[e.Task.Stage] = append(out[e.Task.Stage], time.Duration(e.Task.Metrics["duration"]))
		}
	}
	return out, nil
}

// runScaleDuck runs q in a DuckDB child under its memory limit, spilling
// to a temporary directory beside the output.
func runScaleDuck(ctx context.Context, cfg ScaleConfig, tables map[string]string, q Query, out string) ScaleRun {
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	defer os.RemoveAll(out)
	fail := func(err error) ScaleRun { return ScaleRun{Error: err.Error()} }
	_, text, err := q.files(cfg.QueryDir)
	if err != nil {
		return fail(err)
	}
	tmp := out + ".tmp"
	for _, d := range []string{out, tmp} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fail(err)
		}
	}
	defer os.RemoveAll(tmp)
	spec := duckSpec{Threads: cfg.Threads, Tables: tables, SQL: text, Out: filepath.Join(out, "result.parquet"),
		Setup: []string{
			fmt.Sprintf("SET memory_limit = '%dMB'", cfg.DuckMemory>>20),
			"SET temp_directory = " + quote(tmp),
		}}
	s, err := runDuckChild(ctx, spec, 0)
	if err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("%w after %s", ctx.Err(), cfg.Timeout)
		}
		return fail(err)
	}
	if s.Result, err = readResult(out, q.SortedBy); err != nil {
		return fail(fmt.Errorf("result: %w", err))
	}
	if s.Result.Unsorted != "" {
		return fail(fmt.Errorf("result is not sorted by %v: %s", q.SortedBy, s.Result.Unsorted))
	}
	return ScaleRun{Completed: true, Sample: s}
}
