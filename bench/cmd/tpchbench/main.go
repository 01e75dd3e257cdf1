// Command tpchbench runs Drover's TPC-H benchmark suite side by side with
// DuckDB and writes the report (see package harness). `make bench` runs it.
//
// With -suite tpch-std and/or tpcds it runs the standard query texts
// instead (22 TPC-H, 99 TPC-DS; harness.RunTPC) on DuckDB-generated data
// and writes <date>-tpc-sf<SF>.md and .json; `make bench-tpc` runs it.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/drover-etl/drover/bench/harness"
)

func main() {
	harness.MaybeRunChild() // the DuckDB side of a run, in a child process
	var cfg harness.Config
	var queries, results, notes, render, suites string
	var memCapMiB int64
	var layouts string
	var layoutProfiles int
	var scale scaleOpts
	scale.register()
	flag.StringVar(&cfg.Drover, "drover", "../bin/drover", "the drover binary")
	flag.StringVar(&cfg.QueryDir, "queries", "queries", "directory of the query jobs (.hcl) and SQL (.sql)")
	flag.StringVar(&cfg.DataRoot, "data", "", "directory of generated data sets (default: $TMPDIR/drover-tpch)")
	flag.Float64Var(&cfg.ScaleFactor, "sf", 1, "TPC-H scale factor")
	flag.Uint64Var(&cfg.Seed, "seed", 1, "data generator seed")
	flag.IntVar(&cfg.Reps, "reps", 3, "timed runs per query and engine (after one warm-up)")
	flag.IntVar(&cfg.Threads, "threads", 0, "Drover parallelism and DuckDB threads (default: cores)")
	flag.StringVar(&queries, "query", "", "comma-separated queries to run (default: all)")
	flag.BoolVar(&cfg.SkipFloor, "skip-floor", false, "skip the decode floor")
	flag.StringVar(&cfg.ProfileDir, "profile", "", "also take a CPU profile of one Drover run per query into this directory")
	flag.StringVar(&results, "results", "results", "directory for <date>.md and <date>.json")
	flag.StringVar(&notes, "notes", "", "Markdown file appended to the report (what changed, what it gained)")
	flag.StringVar(&render, "render", "", "re-render this report JSON (with -notes) instead of running")
	flag.StringVar(&suites, "suite", "", "run the standard texts of these suites instead (comma-separated: tpch-std, tpcds)")
	flag.StringVar(&cfg.TPCCache, "cache", "", "data cache of the standard suites (default: the conformance suite's)")
	flag.BoolVar(&cfg.NoWarmup, "no-warmup", false, "standard suites: no warm-up run (the first timed run is checked)")
	flag.StringVar(&cfg.JobDir, "jobs", "", "standard suites: keep each query's job file in this directory")
	flag.Int64Var(&memCapMiB, "memory-cap-mib", 0, "standard suites: kill a run whose resident set passes this many MiB (0: no cap)")
	flag.DurationVar(&cfg.Timeout, "timeout", 0, "bound on one run of one engine (default 15m)")
	flag.StringVar(&layouts, "layouts", "", "run the suite on these file layouts of the same data (comma-separated: "+
		strings.Join(harness.LayoutNames(), ", ")+") → <date>-layouts-sf<SF>.md, .json")
	flag.IntVar(&layoutProfiles, "layout-profiles", 3, "with -layouts: CPU-profile the Drover runs of this many worst query × layout cells (files in -profile)")
	flag.Parse()
	cfg.MemoryCap = memCapMiB << 20
	if queries != "" {
		cfg.Queries = strings.Split(queries, ",")
	}
	cfg.Log = os.Stderr
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch {
	case render != "" && strings.Contains(filepath.Base(render), "-scale-"):
		var rep harness.ScaleReport
		err = rerender(render, results, notes, &rep, &rep.Notes)
	case render != "" && strings.Contains(filepath.Base(render), "-tpc-"):
		var rep harness.TPCReport
		err = rerender(render, results, notes, &rep, &rep.Notes)
	case render != "" && strings.Contains(filepath.Base(render), "-layouts-"):
		var rep harness.LayoutReport
		err = rerender(render, results, notes, &rep, &rep.Notes)
	case render != "":
		var rep harness.Report
		err = rerender(render, results, notes, &rep, &rep.Notes)
	case scale.on:
		err = runScale(ctx, cfg, scale, results, notes)
	case suites != "" && layouts != "":
		err = runTPCLayouts(ctx, cfg, suites, layouts, results, notes)
	case suites != "":
		err = runTPC(ctx, cfg, suites, results, notes)
	case layouts != "":
		err = runLayouts(ctx, cfg, layouts, layoutProfiles, results, notes)
	default:
		err = run(ctx, cfg, results, notes)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "tpchbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cfg harness.Config, results, notes string) error {
	rep, err := harness.Run(ctx, cfg)
	if err != nil {
		return err
	}
	if err := addNotes(rep, notes); err != nil {
		return err
	}
	md, js, err := rep.Write(results)
	if err != nil {
		return err
	}
	fmt.Println(rep.Markdown())
	fmt.Fprintf(os.Stderr, "wrote %s and %s\n", md, js)
	for _, q := range rep.Queries {
		if !q.OK() {
			return fmt.Errorf("query %s failed: %s", q.Query.Name, q.Error)
		}
	}
	return nil
}

func addNotes(rep *harness.Report, notes string) error {
	if notes == "" {
		return nil
	}
	b, err := os.ReadFile(notes)
	if err != nil {
		return err
	}
	rep.Notes = string(b)
	return nil
}
