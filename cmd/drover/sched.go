package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/drover-etl/drover/driver"
	"github.com/drover-etl/drover/jobspec"
)

// schedFlags tune how the driver deals with slow and hung tasks.
type schedFlags struct {
	speculation bool
	multiplier  float64
	quantile    float64
	minRuntime  time.Duration
	taskTimeout time.Duration
}

func (f *schedFlags) register(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&f.speculation, "speculation", true, "run a copy of a task far slower than its stage's median on another executor; the first to finish wins")
	cmd.Flags().Float64Var(&f.multiplier, "speculation-multiplier", 1.5, "a task is slow once it has run this many times its stage's median task duration")
	cmd.Flags().Float64Var(&f.quantile, "speculation-quantile", 0.75, "fraction of a stage's tasks that must have finished before its slow tasks are copied")
	cmd.Flags().DurationVar(&f.minRuntime, "speculation-min-runtime", time.Second, "never copy a task that has run less than this")
	cmd.Flags().DurationVar(&f.taskTimeout, "task-timeout", 0, "cancel a task attempt running longer than this and retry it as a failed attempt (0: no limit)")
}

// apply checks the flags and returns the driver's settings: a flag given
// on the command line wins over the job's `speculation` and
// `task_timeout` (job nil: the flags alone, to check them early).
func (f *schedFlags) apply(cmd *cobra.Command, job *jobspec.Job) (driver.Speculation, time.Duration, error) {
	switch {
	case f.multiplier < 1:
		return driver.Speculation{}, 0, fmt.Errorf("--speculation-multiplier %v: want 1 or more", f.multiplier)
	case f.quantile <= 0 || f.quantile > 1:
		return driver.Speculation{}, 0, fmt.Errorf("--speculation-quantile %v: want more than 0 and at most 1", f.quantile)
	case f.minRuntime <= 0:
		return driver.Speculation{}, 0, fmt.Errorf("--speculation-min-runtime %v: want a positive duration", f.minRuntime)
	case f.taskTimeout < 0:
		return driver.Speculation{}, 0, fmt.Errorf("--task-timeout %v: want 0 (no limit) or a positive duration", f.taskTimeout)
	}
	on, timeout := f.speculation, f.taskTimeout
	if job != nil && job.Speculation != nil && !cmd.Flags().Changed("speculation") {
		on = *job.Speculation
	}
	if job != nil && job.TaskTimeout > 0 && !cmd.Flags().Changed("task-timeout") {
		timeout = job.TaskTimeout
	}
	sp := driver.Speculation{Enabled: on, Multiplier: f.multiplier, Quantile: f.quantile, MinRuntime: f.minRuntime}
	return sp, timeout, nil
}
