package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/drover-etl/drover/engine"
	"github.com/drover-etl/drover/eventlog"
	"github.com/drover-etl/drover/executor"
	"github.com/drover-etl/drover/progress"
	"github.com/drover-etl/drover/spill"
	"github.com/drover-etl/drover/udfhost"
)

// jobFlags are the flags shared by commands that compile a job.
type jobFlags struct {
	vars          []string
	parallelism   int
	partitions    int
	broadcast     int64
	probeRatio    float64 // set with a budget-derived broadcast threshold
	pluginTimeout time.Duration
}

func (f *jobFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringArrayVar(&f.vars, "var", nil, "set a job variable (name=value); repeatable")
	cmd.Flags().IntVar(&f.parallelism, "parallelism", 0, "task slots the job is planned for (default: run: the number of cores; submit, driver: executors × executor slots)")
	cmd.Flags().IntVar(&f.partitions, "partitions", 0, "shuffle partitions (default: the job's, else one per 64 MiB of input, at least 2 × parallelism, at most 2000)")
	cmd.Flags().Int64Var(&f.broadcast, "broadcast-threshold", 0, "broadcast joins whose build side is estimated below this many bytes (default: run, explain: a sixteenth of the memory budget, 8 to 256 MiB; submit, driver: 8 MiB; negative: never)")
	cmd.Flags().DurationVar(&f.pluginTimeout, "plugin-timeout", udfhost.DefaultCallTimeout, "how long one plugin call may take before the plugin is restarted and the task retried")
}

func (f *jobFlags) options() (engine.Options, error) {
	vars := map[string]string{}
	for _, kv := range f.vars {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return engine.Options{}, fmt.Errorf("--var %q: want name=value", kv)
		}
		vars[k] = v
	}
	return engine.Options{Vars: vars, Parallelism: f.parallelism, Partitions: f.partitions, BroadcastThresholdBytes: f.broadcast,
		BroadcastProbeRatio: f.probeRatio,
		Plugins:             udfhost.Config{Log: os.Stderr, CallTimeout: f.pluginTimeout}}, nil
}

func runCmd() *cobra.Command {
	var jf jobFlags
	var diag runDiagnostics
	var mf metricsFlags
	var memory, poolBytes int64
	var tempDir string
	var of obsFlags
	var af adaptiveFlags
	var sf schedFlags
	cmd := &cobra.Command{
		Use:   "run JOB.hcl",
		Short: "Run a job locally with in-process executors",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			slots := executor.LocalSlots(jf.parallelism)
			hard := hardLimit()
			pool, err := localPool(poolBytes, memory, slots, hard, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			defaultLocalBroadcast(&jf, &af, pool)
			opts, err := jf.options()
			if err != nil {
				return err
			}
			stopProfile, err := diag.startProfile()
			if err != nil {
				return err
			}
			defer stopProfile()
			stopMetrics, err := mf.start(cmd)
			if err != nil {
				return err
			}
			defer stopMetrics()
			if _, _, err := sf.apply(cmd, nil); err != nil {
				return err // before the job is read
			}
			c, err := engine.Compile(cmd.Context(), args[0], opts)
			if err != nil {
				return err
			}
			defer c.Close()
			spec, timeout, err := sf.apply(cmd, c.Job)
			if err != nil {
				return err
			}
			place, err := spill.NewPlace(tempDir, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			rt := c.WithPlugins(&executor.Runtime{Name: "local", Spill: place, Pool: pool})
			exec := executor.NewLocal(rt, slots)
			if memory > 0 {
				memory = min(memory, localTaskMemory(rt.Pool, exec.Slots())) // clamped with the pool
			}
			withRuntimeLimit(rt.Pool, hard)
			run := engine.NewRunID()
			prog := progress.New(cmd.ErrOrStderr())
			obs, err := observe(cmd.Context(), cmd, of, localEventLogDir(), c,
				eventlog.RunInfo{ID: run, Job: c.Job.Name, Mode: "local", JobFile: args[0], JobSpec: readJobSpec(args[0])}, prog)
			if err != nil {
				return err
			}
			obs.rec.ExecutorsChanged([]eventlog.ExecutorInfo{{ID: "local", Slots: exec.Slots()}}, "")
			acfg := af.config(cmd, c.Job)
			if acfg.TaskMemoryBytes <= 0 {
				acfg.TaskMemoryBytes = localTaskMemory(rt.Pool, exec.Slots())
			}
			sum, err := engine.Run(cmd.Context(), c, exec, engine.RunOptions{Progress: obs.rec, Observer: obs.rec, MemoryBytes: memory, Run: run,
				Adaptive: acfg, Speculation: spec, TaskTimeout: timeout})
			obs.finish(cmd.Context(), err)
			progress.Wait(prog)
			if err != nil {
				return fmt.Errorf("job %q failed: %w", c.Job.Name, err)
			}
			progress.Summary(cmd.OutOrStdout(), sum, mf.parsed)
			if err := af.printFinal(cmd.OutOrStdout(), c, sum); err != nil {
				return err
			}
			return diag.writeMetrics(c, sum, mf.parsed)
		},
	}
	jf.register(cmd)
	sf.register(cmd)
	diag.register(cmd)
	of.register(cmd, localEventLogDir())
	mf.register(cmd)
	af.register(cmd)
	cmd.Flags().Int64Var(&poolBytes, "memory", 0, "bytes the tasks may hold in sorts, hash tables and windows together before they spill to disk (default: 60% of the machine's or cgroup's memory)")
	cmd.Flags().StringVar(&tempDir, "temp-dir", "", tempDirUsage)
	cmd.Flags().Int64Var(&memory, "task-memory", 0, "bytes each task slot may hold before it spills: sets --memory to this × the slots when --memory is not given")
	return cmd
}

func explainCmd() *cobra.Command {
	var jf jobFlags
	var runPlugins bool
	cmd := &cobra.Command{
		Use:   "explain JOB.hcl",
		Short: "Print the logical, optimized and physical plans and the stage graph",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts, err := jf.options()
			if err != nil {
				return err
			}
			opts.NoPluginCode = !runPlugins
			if opts.BroadcastThresholdBytes == 0 {
				// As `drover run` plans it with the default budget.
				pool, err := localPool(0, 0, 1, hardLimit(), io.Discard)
				if err != nil {
					return err
				}
				opts.BroadcastThresholdBytes = localBroadcastBytes(pool.Limit())
				opts.BroadcastProbeRatio = localBroadcastProbeRatio
			}
			c, err := engine.Compile(cmd.Context(), args[0], opts)
			if err != nil {
				return err
			}
			defer c.Close()
			fmt.Fprint(cmd.OutOrStdout(), c.Explain())
			return nil
		},
	}
	jf.register(cmd)
	cmd.Flags().BoolVar(&runPlugins, "run-plugins", false, "start the job's plugins to learn their types (explain runs no plugin code without it)")
	return cmd
}
