package harness

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"
)

// Config says what to run.
type Config struct {
	// Drover is the drover binary (it runs the jobs and generates data).
	Drover string
	// PluginDir holds the UDF plugin binaries (default: plugins/ beside
	// the drover binary, where make build puts them).
	PluginDir string
	// QueryDir holds queries/<job>.hcl and .sql.
	QueryDir string
	// DataRoot holds generated data sets, one directory per scale factor
	// and seed; missing ones are generated.
	DataRoot string
	// WorkDir receives query outputs (removed after each checksum);
	// "" means a temporary directory.
	WorkDir string
	// ScaleFactor and Seed select the data set.
	ScaleFactor float64
	Seed        uint64
	// Reps is the number of timed runs per query and engine, after one
	// warm-up run each.
	Reps int
	// Threads is Drover's --parallelism (and GOMAXPROCS) and DuckDB's
	// threads setting (default: the number of cores).
	Threads int
	// Queries selects queries by name (default all).
	Queries []string
	// SkipFloor skips the decode floor measurement.
	SkipFloor bool
	// ProfileDir, if set, gets one extra Drover run per query with
	// --cpuprofile ProfileDir/<query>.pprof (not timed).
	ProfileDir string
	// TPCCache is where the standard suites' data (DuckDB's dbgen and
	// dsdgen, as Parquet) is kept (default: tpc.CacheRoot, shared with
	// the conformance suite).
	TPCCache string
	// NoWarmup drops the warm-up runs of the standard suites: the first
	// timed run of each engine is the one whose answer is checked.
	NoWarmup bool
	// JobDir, if set, keeps each standard query's job file
	// (<suite>-<query>.hcl), its drover explain (.explain.txt) and the
	// checked run's metrics (.metrics.json).
	JobDir string
	// MemoryCap, if positive, kills a standard-suite run whose process's
	// resident set grows past it (bytes); the query is reported as such.
	MemoryCap int64
	// Timeout bounds one run of one engine (default 15 minutes).
	Timeout time.Duration
	// Log receives progress lines (nil: discarded).
	Log io.Writer
}

func (c Config) withDefaults() (Config, error) {
	if c.Drover == "" {
		return c, fmt.Errorf("harness: the drover binary is required")
	}
	abs, err := filepath.Abs(c.Drover)
	if err != nil {
		return c, err
	}
	c.Drover = abs
	if _, err := os.Stat(c.Drover); err != nil {
		return c, fmt.Errorf("harness: drover binary: %w (run make build)", err)
	}
	if c.PluginDir == "" {
		c.PluginDir = filepath.Join(filepath.Dir(c.Drover), "plugins")
	}
	if c.ScaleFactor <= 0 {
		return c, fmt.Errorf("harness: scale factor must be positive")
	}
	if c.Seed == 0 {
		c.Seed = 1
	}
	if c.Reps <= 0 {
		c.Reps = 3
	}
	if c.Threads <= 0 {
		c.Threads = runtime.NumCPU()
	}
	if c.DataRoot == "" {
		c.DataRoot = filepath.Join(os.TempDir(), "drover-tpch")
	}
	if c.Timeout <= 0 {
		c.Timeout = 15 * time.Minute
	}
	if c.Log == nil {
		c.Log = io.Discard
	}
	return c, nil
}

func (c Config) logf(format string, args ...any) {
	fmt.Fprintf(c.Log, format+"\n", args...)
}
