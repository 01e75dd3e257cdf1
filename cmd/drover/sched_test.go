package main

import (
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/drover-etl/drover/jobspec"
)

func TestSchedFlags(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    schedFlags
		err  string
	}{
		{"defaults", schedFlags{speculation: true, multiplier: 1.5, quantile: 0.75, minRuntime: time.Second}, ""},
		{"timeout", schedFlags{multiplier: 1.5, quantile: 0.75, minRuntime: time.Second, taskTimeout: time.Minute}, ""},
		{"multiplier", schedFlags{multiplier: 0.5, quantile: 0.75, minRuntime: time.Second}, "--speculation-multiplier 0.5"},
		{"quantile", schedFlags{multiplier: 1.5, quantile: 1.5, minRuntime: time.Second}, "--speculation-quantile 1.5"},
		{"min runtime", schedFlags{multiplier: 1.5, quantile: 0.75}, "--speculation-min-runtime 0s"},
		{"negative timeout", schedFlags{multiplier: 1.5, quantile: 0.75, minRuntime: time.Second, taskTimeout: -time.Second}, "--task-timeout -1s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sp, timeout, err := tc.f.apply(&cobra.Command{}, nil)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want it to name %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if sp.Enabled != tc.f.speculation || sp.Multiplier != tc.f.multiplier || sp.Quantile != tc.f.quantile || sp.MinRuntime != tc.f.minRuntime || timeout != tc.f.taskTimeout {
				t.Errorf("apply = %+v, %v from %+v", sp, timeout, tc.f)
			}
		})
	}
}

// TestSchedJobSettings: the job's speculation and task_timeout apply
// unless the command line gives --speculation or --task-timeout, which win
// even when they give the default (--task-timeout 0 lifts the job's).
func TestSchedJobSettings(t *testing.T) {
	off, on := false, true
	for _, tc := range []struct {
		name    string
		args    []string
		job     *jobspec.Job
		spec    bool
		timeout time.Duration
	}{
		{"flag defaults", nil, &jobspec.Job{}, true, 0},
		{"job settings", nil, &jobspec.Job{Speculation: &off, TaskTimeout: 30 * time.Minute}, false, 30 * time.Minute},
		{"job speculation on", nil, &jobspec.Job{Speculation: &on}, true, 0},
		{"flags win", []string{"--speculation=true", "--task-timeout=5m"}, &jobspec.Job{Speculation: &off, TaskTimeout: 30 * time.Minute}, true, 5 * time.Minute},
		{"flag lifts the timeout", []string{"--task-timeout=0"}, &jobspec.Job{TaskTimeout: 30 * time.Minute}, true, 0},
		{"flag off, job on", []string{"--speculation=false"}, &jobspec.Job{Speculation: &on}, false, 0},
		{"one flag, other from the job", []string{"--task-timeout=2m"}, &jobspec.Job{Speculation: &off, TaskTimeout: time.Hour}, false, 2 * time.Minute},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var f schedFlags
			cmd := &cobra.Command{}
			f.register(cmd)
			if err := cmd.ParseFlags(tc.args); err != nil {
				t.Fatal(err)
			}
			sp, timeout, err := f.apply(cmd, tc.job)
			if err != nil {
				t.Fatal(err)
			}
			if sp.Enabled != tc.spec || timeout != tc.timeout {
				t.Errorf("speculation %v, timeout %v; want %v, %v", sp.Enabled, timeout, tc.spec, tc.timeout)
			}
		})
	}
}
