package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/drover-etl/drover/adaptive"
	"github.com/drover-etl/drover/driver"
	"github.com/drover-etl/drover/engine"
	"github.com/drover-etl/drover/jobspec"
)

// adaptiveFlags steer adaptive execution and the final-plan printout.
type adaptiveFlags struct {
	on           bool
	cfg          adaptive.Config
	explainFinal bool
}

func (f *adaptiveFlags) register(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&f.on, "adaptive", true, "re-plan each shuffle read from its exact map-output sizes: coalesce small partitions, split skewed join partitions, switch small-build shuffled joins to broadcast")
	cmd.Flags().Int64Var(&f.cfg.AdvisoryBytes, "advisory-partition-bytes", adaptive.DefaultAdvisoryBytes, "bytes an adaptive reduce task aims to read")
	cmd.Flags().Float64Var(&f.cfg.SkewFactor, "skew-factor", adaptive.DefaultSkewFactor, "a join partition is skewed when larger than this × the median partition (and --skew-threshold-bytes)")
	cmd.Flags().Int64Var(&f.cfg.SkewThresholdBytes, "skew-threshold-bytes", adaptive.DefaultSkewThresholdBytes, "a join partition is skewed only when larger than this")
	cmd.Flags().Int64Var(&f.cfg.BroadcastBytes, "adaptive-broadcast-bytes", 0, "run a shuffled join as broadcast when its build side's map outputs total at most this (default: run: as --broadcast-threshold's; submit, driver: 8 MiB; negative: never)")
	cmd.Flags().BoolVar(&f.explainFinal, "explain-final", false, "after the run, print the stage graph as run and the adaptive decisions")
}

// config is the adaptive configuration: --adaptive when given, else the
// job's `adaptive`, else on.
func (f *adaptiveFlags) config(cmd *cobra.Command, job *jobspec.Job) adaptive.Config {
	c := f.cfg
	on := f.on
	if !cmd.Flags().Changed("adaptive") && job.Adaptive != nil {
		on = *job.Adaptive
	}
	c.Disabled = !on
	return c
}

// printFinal prints the plan as run when --explain-final asked for it.
func (f *adaptiveFlags) printFinal(w io.Writer, c *engine.Compiled, sum *driver.Summary) error {
	if !f.explainFinal {
		return nil
	}
	s, err := adaptive.FormatFinal(c.Stages, sum.Adaptive())
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "\n== Final plan (as run) ==\n%s", s)
	return err
}
