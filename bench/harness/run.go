package harness

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// QueryResult is everything measured for one query.
type QueryResult struct {
	Query Query `json:"query"`
	// InputRows is the number of rows of the tables the query reads.
	InputRows int64  `json:"input_rows"`
	Drover    Engine `json:"drover"`
	DuckDB    Engine `json:"duckdb"`
	// Result is the agreed output (from the warm-up runs).
	Result Result `json:"result"`
	Floor  *Floor `json:"floor,omitempty"`
	// Error says why the query has no timings (results differ, a run
	// failed).
	Error string `json:"error,omitempty"`
	// Profile is the Drover CPU profile, when one was taken.
	Profile string `json:"profile,omitempty"`
}

// Engine holds one engine's runs of a query.
type Engine struct {
	Warmup  Sample   `json:"warmup"`
	Samples []Sample `json:"samples"`
	Median  Sample   `json:"median"`
}

// OK reports whether the query was timed on both engines.
func (r *QueryResult) OK() bool { return r.Error == "" && len(r.Drover.Samples) > 0 }

// Ratio is Drover's median wall time over DuckDB's.
func (r *QueryResult) Ratio() float64 {
	return r.Drover.Median.Wall.Seconds() / r.DuckDB.Median.Wall.Seconds()
}

// Run generates (or reuses) the data set and runs the selected queries
// on both engines.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	queries, err := Select(cfg.Queries)
	if err != nil {
		return nil, err
	}
	ds, err := ensureData(ctx, cfg)
	if err != nil {
		return nil, err
	}
	work, cleanup, err := workDir(cfg.WorkDir, "drover-bench-")
	if err != nil {
		return nil, err
	}
	defer cleanup()
	rep := newReport(ctx, cfg, ds)
	for _, q := range queries {
		r := &QueryResult{Query: q, InputRows: ds.inputRows(q)}
		if err := runQuery(ctx, cfg, ds, work, r); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			r.Error = err.Error()
			cfg.logf("%s: %v", q.Name, err)
		}
		rep.Queries = append(rep.Queries, r)
	}
	return rep, nil
}

// engine names a side of the comparison.
type engine int

const (
	engineDrover engine = iota
	engineDuckDB
)

var engineNames = [...]string{"drover", "duckdb"}

func (e engine) String() string { return engineNames[e] }

// runQuery warms up and checks both engines, then times them alternately,
// checking every run's result against the agreed one.
func runQuery(ctx context.Context, cfg Config, ds *Dataset, work string, r *QueryResult) error {
	run := func(e engine, label string) (Sample, error) {
		return runOnce(ctx, cfg, ds, r.Query, e, filepath.Join(work, r.Query.Name+"-"+e.String()+"-"+label), "")
	}
	var err error
	if r.Drover.Warmup, err = run(engineDrover, "warmup"); err != nil {
		return err
	}
	if r.DuckDB.Warmup, err = run(engineDuckDB, "warmup"); err != nil {
		return err
	}
	d, k := r.Drover.Warmup.Result, r.DuckDB.Warmup.Result
	if !d.Agrees(k) {
		return fmt.Errorf("results differ: drover %s; duckdb %s", d, k)
	}
	r.Result = k
	cfg.logf("%s: both engines agree: %s", r.Query.Name, k)
	for i := range cfg.Reps {
		order := []engine{engineDrover, engineDuckDB}
		if i%2 == 1 {
			order = []engine{engineDuckDB, engineDrover}
		}
		for _, e := range order {
			s, err := run(e, fmt.Sprint(i))
			if err != nil {
				return err
			}
			if !s.Result.Agrees(r.Result) {
				return fmt.Errorf("%s run %d: result %s differs from the agreed %s", e, i+1, s.Result, r.Result)
			}
			side := r.side(e)
			side.Samples = append(side.Samples, s)
			cfg.logf("%s: %s run %d/%d: %.3f s", r.Query.Name, e, i+1, cfg.Reps, s.Wall.Seconds())
		}
	}
	r.Drover.Median = medianSample(r.Drover.Samples)
	r.DuckDB.Median = medianSample(r.DuckDB.Samples)
	return finishQuery(ctx, cfg, ds, work, r)
}

// finishQuery takes the optional profile and the decode floor.
func finishQuery(ctx context.Context, cfg Config, ds *Dataset, work string, r *QueryResult) error {
	if cfg.ProfileDir != "" {
		if err := os.MkdirAll(cfg.ProfileDir, 0o755); err != nil {
			return err
		}
		r.Profile = filepath.Join(cfg.ProfileDir, r.Query.Name+".pprof")
		if _, err := runOnce(ctx, cfg, ds, r.Query, engineDrover, filepath.Join(work, r.Query.Name+"-profile"), r.Profile); err != nil {
			return err
		}
	}
	if cfg.SkipFloor {
		return nil
	}
	f, err := measureFloor(ctx, ds, r.Query, cfg.Threads, cfg.Reps)
	if err != nil {
		return fmt.Errorf("decode floor: %w", err)
	}
	r.Floor = &f
	cfg.logf("%s: decode floor %.3f s (1 goroutine), %.3f s (%d)", r.Query.Name,
		f.Single.Seconds(), f.Parallel.Seconds(), f.Threads)
	return nil
}

func (r *QueryResult) side(e engine) *Engine {
	if e == engineDrover {
		return &r.Drover
	}
	return &r.DuckDB
}

// runOnce runs q on one engine into out, reads the result back and
// removes the output.
func runOnce(ctx context.Context, cfg Config, ds *Dataset, q Query, e engine, out, profile string) (Sample, error) {
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	defer os.RemoveAll(out)
	var s Sample
	var err error
	if e == engineDrover {
		s, err = runDrover(ctx, cfg, ds, q, out, profile)
	} else {
		s, err = runDuckDB(ctx, cfg, ds, q, out)
	}
	if err != nil {
		return Sample{}, fmt.Errorf("%s: %w", e, err)
	}
	if s.Result, err = readResult(out, q.SortedBy); err != nil {
		return Sample{}, fmt.Errorf("%s result: %w", e, err)
	}
	if s.Result.Unsorted != "" {
		return Sample{}, fmt.Errorf("%s result is not sorted by %v: %s", e, q.SortedBy, s.Result.Unsorted)
	}
	return s, nil
}

// medianSample takes the median of each measure separately.
func medianSample(ss []Sample) Sample {
	pick := func(f func(Sample) int64) int64 {
		vs := make([]time.Duration, len(ss))
		for i, s := range ss {
			vs[i] = time.Duration(f(s))
		}
		return int64(median(vs))
	}
	return Sample{
		Wall:         time.Duration(pick(func(s Sample) int64 { return int64(s.Wall) })),
		CPU:          time.Duration(pick(func(s Sample) int64 { return int64(s.CPU) })),
		PeakRSS:      pick(func(s Sample) int64 { return s.PeakRSS }),
		BytesRead:    pick(func(s Sample) int64 { return s.BytesRead }),
		BytesWritten: pick(func(s Sample) int64 { return s.BytesWritten }),
		ShuffleBytes: pick(func(s Sample) int64 { return s.ShuffleBytes }),
		Result:       ss[len(ss)/2].Result,
	}
}
