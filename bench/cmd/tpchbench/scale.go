package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/drover-etl/drover/bench/harness"
)

// scaleOpts are the flags of the scale suite (-scale; make bench-scale).
type scaleOpts struct {
	on            bool
	memory        int64
	duckMemory    int64
	skewRows      int64
	skewThreshold int64
	cgroup        bool
}

func (o *scaleOpts) register() {
	flag.BoolVar(&o.on, "scale", false, "run the scale suite: each query once per engine under -memory, spill and answers reported")
	flag.Int64Var(&o.memory, "memory", 512<<20, "scale suite: Drover's --memory (bytes; the budget all task slots share)")
	flag.Int64Var(&o.duckMemory, "duck-memory", 0, "scale suite: DuckDB's memory_limit in bytes (default: -memory)")
	flag.Int64Var(&o.skewRows, "skew-rows", 0, "scale suite: rows of the skewed join's fact table (0: no skewed join)")
	flag.BoolVar(&o.cgroup, "cgroup", false, "scale suite: run each Drover process in a memory cgroup capped at -memory / 60% and without --memory, "+
		"so its default budget (60% of the cgroup's limit) is -memory; reports OOM kills and peak vs cap (root, writable cgroups)")
	flag.Int64Var(&o.skewThreshold, "skew-threshold", 0, "scale suite: Drover's --skew-threshold-bytes in the adaptive skewed run (default 16 MiB)")
}

// runScale runs the scale suite and writes <date>-scale-sf<SF>.md and
// .json. It fails when a Drover query did not complete or answered
// differently from DuckDB, after writing the report.
func runScale(ctx context.Context, cfg harness.Config, o scaleOpts, results, notes string) error {
	text, err := readNotes(notes)
	if err != nil {
		return err
	}
	progress := func(rep *harness.ScaleReport) {
		rep.Notes = text
		if _, _, err := rep.Write(results); err != nil {
			fmt.Fprintln(os.Stderr, "tpchbench: write report:", err)
		}
	}
	rep, err := harness.RunScale(ctx, harness.ScaleConfig{Config: cfg, Memory: o.memory, DuckMemory: o.duckMemory, Cgroup: o.cgroup,
		Skew: harness.SkewConfig{Rows: o.skewRows, ThresholdBytes: o.skewThreshold}, Progress: progress})
	if err != nil {
		return err
	}
	rep.Notes = text
	md, js, err := rep.Write(results)
	if err != nil {
		return err
	}
	fmt.Println(rep.Markdown())
	fmt.Fprintf(os.Stderr, "wrote %s and %s\n", md, js)
	if f := rep.Failed(); len(f) > 0 {
		return fmt.Errorf("%d failed: %v", len(f), f)
	}
	return nil
}
