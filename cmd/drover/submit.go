package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drover-etl/drover/cluster"
	"github.com/drover-etl/drover/driver"
	"github.com/drover-etl/drover/engine"
	"github.com/drover-etl/drover/eventlog"
	"github.com/drover-etl/drover/jobspec"
	"github.com/drover-etl/drover/progress"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/udfhost"
)

// awsEnv are the settings executors need to reach the same S3 as the
// driver; awsSecrets travel through a Nomad variable instead of the job
// definition (see cluster.Config.Secrets), and are never printed.
var (
	awsEnv     = []string{"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL", "DROVER_S3_RETRY_WINDOW"}
	awsSecrets = []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"}
)

type clusterFlags struct {
	cfg        cluster.Config
	shuffleDir string
	tempDir    string // the executors' --temp-dir
	obs        obsFlags
	jobFile    string // the job file's path or URL, for the event log
	jobSpec    string // its text
	metrics    metricsFlags
	diag       runDiagnostics
	adaptive   adaptiveFlags
	sched      schedFlags
	resume     resumeFlags
	run        string            // the run's ID (resume.runID)
	mode       driver.ResumeMode // and whether it resumes
}

func (f *clusterFlags) register(cmd *cobra.Command) {
	f.adaptive.register(cmd)
	f.sched.register(cmd)
	cmd.Flags().IntVar(&f.cfg.Executors, "executors", 0, "executors to run (default: the job's `executors`, else 2)")
	cmd.Flags().IntVar(&f.cfg.MinExecutors, "min-executors", 0, "scale down to no fewer than this many executors")
	cmd.Flags().IntVar(&f.cfg.MaxExecutors, "max-executors", 0, "scale up to no more than this many executors")
	cmd.Flags().IntVar(&f.cfg.SlotsPerExecutor, "executor-slots", 2, "tasks each executor runs at once")
	cmd.Flags().IntVar(&f.cfg.CPU, "executor-cpu", 500, "CPU (MHz) reserved per executor")
	cmd.Flags().IntVar(&f.cfg.MemoryMB, "executor-memory", 1024, "memory (MB) reserved per executor")
	cmd.Flags().StringVar(&f.cfg.Binary, "executor-binary", "", "drover binary on the Nomad clients (default: this binary)")
	cmd.Flags().StringVar(&f.cfg.ArtifactURL, "executor-artifact", "", "URL Nomad downloads the drover binary from (instead of --executor-binary)")
	cmd.Flags().StringVar(&f.cfg.Image, "executor-image", "", "Docker image with drover on its PATH; runs executors with the docker driver")
	cmd.Flags().StringVar(&f.cfg.Driver, "executor-driver", "raw_exec", "Nomad task driver for executors (raw_exec or exec)")
	cmd.Flags().StringVar(&f.cfg.User, "executor-user", "", "unprivileged user executors run as (Nomad task user; default: the task driver's)")
	cmd.Flags().StringVar(&f.tempDir, "executor-temp-dir", "", "executors' --temp-dir: where they spill, a directory on the Nomad clients or s3://bucket/prefix (default: the task's temp dir, else the run's S3 shuffle directory when that is not writable)")
	cmd.Flags().StringVar(&f.shuffleDir, "shuffle-dir", os.Getenv("DROVER_SHUFFLE_DIR"), "where shuffle files go, e.g. s3://bucket/shuffle (env DROVER_SHUFFLE_DIR)")
	// Fault-injection tests (e2e/provision) slow the executors down with
	// --executor-arg=--chaos-task-delay=2s to stop a node mid-job.
	cmd.Flags().StringArrayVar(&f.cfg.ExtraArgs, "executor-arg", nil, "extra argument for every executor's command line (repeatable)")
	cmd.Flags().MarkHidden("executor-arg")
	f.resume.register(cmd)
	f.obs.register(cmd, "beside --shuffle-dir: <parent>/events")
	f.metrics.register(cmd)
	f.diag.registerMetricsJSON(cmd)
}

// runOnCluster runs a compiled job on executors registered with Nomad.
func runOnCluster(ctx context.Context, cmd *cobra.Command, c *engine.Compiled, f clusterFlags) error {
	if f.shuffleDir == "" {
		return fmt.Errorf("cluster mode needs --shuffle-dir (or DROVER_SHUFFLE_DIR), e.g. s3://bucket/drover-shuffle")
	}
	cfg := f.cfg
	if cfg.Executors == 0 {
		cfg.Executors = c.Job.Executors
		cfg.MinExecutors = max(cfg.MinExecutors, c.Job.MinExecutors)
		cfg.MaxExecutors = max(cfg.MaxExecutors, c.Job.MaxExecutors)
	}
	cfg.Env, cfg.Secrets = lookupEnv(awsEnv), lookupEnv(awsSecrets)
	if f.tempDir != "" {
		cfg.ExtraArgs = append(cfg.ExtraArgs, "--temp-dir", f.tempDir)
	}
	if c.Plugins != nil {
		args, err := stagePlugins(ctx, c, f.shuffleDir)
		if err != nil {
			return err
		}
		cfg.ExtraArgs = append(cfg.ExtraArgs, args...)
	}
	run, mode := f.run, f.mode
	cfg.Adopt = mode != driver.ResumeNever
	collectAtStart(ctx, cmd.ErrOrStderr(), f.shuffleDir, run)
	cfg.ShuffleDir = strings.TrimSuffix(f.shuffleDir, "/")
	prog := progress.New(cmd.ErrOrStderr())
	obs, err := observe(ctx, cmd, f.obs, clusterEventLogDir(f.shuffleDir), c,
		eventlog.RunInfo{ID: run, Job: c.Job.Name, Mode: "cluster", JobFile: f.jobFile, JobSpec: f.jobSpec}, prog)
	if err != nil {
		return err
	}
	cfg.OnMembers = executorEvents(obs.rec, cfg)
	fmt.Fprintf(cmd.ErrOrStderr(), "starting executors as Nomad job %s\n", cluster.ExecutorJobID(c.Job.Name, run))
	cl, err := cluster.Start(ctx, cfg, c.Job.Name, run)
	if err != nil {
		obs.finish(ctx, err)
		return err
	}
	if cl.Adopted {
		fmt.Fprintf(cmd.ErrOrStderr(), "re-using the run's executors (Nomad job %s)\n", cl.JobID)
	}
	defer func() {
		if err := cl.Close(context.WithoutCancel(ctx)); err != nil {
			fmt.Fprintf(cmd.ErrOrStderr(), "drover: warning: executor job %s may still be running: %v\n", cl.JobID, err)
		}
	}()
	spec, timeout, err := f.sched.apply(cmd, c.Job)
	if err != nil {
		obs.finish(ctx, err)
		return err
	}
	acfg := f.adaptive.config(cmd, c.Job)
	if acfg.TaskMemoryBytes <= 0 {
		acfg.TaskMemoryBytes = clusterTaskMemory(cfg)
	}
	sum, err := engine.Run(ctx, c, cl.Executor(), engine.RunOptions{ShuffleDir: strings.TrimSuffix(f.shuffleDir, "/"),
		Progress: obs.rec, Observer: obs.rec, Run: run, Scaler: cl, Adaptive: acfg,
		Speculation: spec, TaskTimeout: timeout, Resume: mode, FaultHook: f.resume.faultHook()})
	obs.finish(ctx, err)
	progress.Wait(prog)
	if err != nil {
		return fmt.Errorf("job %q failed: %w", c.Job.Name, err)
	}
	progress.Summary(cmd.OutOrStdout(), sum, f.metrics.parsed)
	if err := f.diag.writeMetrics(c, sum, f.metrics.parsed); err != nil {
		return err
	}
	return f.adaptive.printFinal(cmd.OutOrStdout(), c, sum)
}

func submitCmd(use, short string) *cobra.Command {
	var jf jobFlags
	var cf clusterFlags
	cmd := &cobra.Command{
		Use:   use + " JOB.hcl",
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts, err := jf.options()
			if err != nil {
				return err
			}
			if _, _, err := cf.sched.apply(cmd, nil); err != nil {
				return err // before any executor starts
			}
			stopMetrics, err := cf.metrics.start(cmd)
			if err != nil {
				return err
			}
			defer stopMetrics()
			path, cleanup, err := fetchJobFile(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			defer cleanup()
			job, err := jobspec.ParseFile(path, opts.Vars)
			if err != nil {
				return err
			}
			if opts.Parallelism == 0 {
				opts.Parallelism = clusterSlots(cf.cfg, job)
			}
			if cf.run, cf.mode, err = cf.resume.runID(); err != nil {
				return err
			}
			// A resumed run plans at its first driver's instant (now()).
			if opts.PlanTime, err = engine.ResumePlanTime(cmd.Context(), cf.shuffleDir, cf.run, cf.mode); err != nil {
				return err
			}
			c, err := engine.CompileJob(cmd.Context(), job, opts)
			if err != nil {
				return err
			}
			defer c.Close()
			cf.jobFile, cf.jobSpec = args[0], readJobSpec(path)
			return runOnCluster(cmd.Context(), cmd, c, cf)
		},
	}
	jf.register(cmd)
	cf.register(cmd)
	return cmd
}

// stagePlugins uploads the job's plugin binaries, content-addressed by
// sha256, next to the shuffle files, and returns the executor flags that
// make every executor fetch, verify and start them.
func stagePlugins(ctx context.Context, c *engine.Compiled, shuffleDir string) ([]string, error) {
	dest, err := storage.Resolve(ctx, strings.TrimSuffix(shuffleDir, "/")+"/plugins")
	if err != nil {
		return nil, err
	}
	specs, err := udfhost.StageAll(ctx, dest, c.Plugins.Specs())
	if err != nil {
		return nil, fmt.Errorf("ship plugins: %w", err)
	}
	js, err := json.Marshal(specs)
	if err != nil {
		return nil, err
	}
	return []string{"--plugins", string(js)}, nil
}

func lookupEnv(names []string) map[string]string {
	out := map[string]string{}
	for _, k := range names {
		if v, ok := os.LookupEnv(k); ok && v != "" {
			out[k] = v
		}
	}
	return out
}

// clusterSlots is the number of task slots a cluster run plans for: the
// executors it starts (--executors, else the job's, else the cluster's
// default of 2) times the slots of each.
func clusterSlots(cfg cluster.Config, job *jobspec.Job) int {
	executors := cfg.Executors
	if executors <= 0 {
		executors = job.Executors
	}
	if executors <= 0 {
		executors = 2
	}
	return executors * max(cfg.SlotsPerExecutor, 1)
}

// executorEvents turns Consul's healthy executor lists into executor
// added/lost events.
func executorEvents(rec *eventlog.Recorder, cfg cluster.Config) func([]cluster.Member) {
	return func(ms []cluster.Member) {
		live := make([]eventlog.ExecutorInfo, 0, len(ms))
		for _, m := range ms {
			live = append(live, eventlog.ExecutorInfo{ID: m.Addr, Alloc: m.Alloc, Node: m.Node,
				Slots: max(cfg.SlotsPerExecutor, 1), MemoryMB: cfg.MemoryMB})
		}
		rec.ExecutorsChanged(live, "left Consul's healthy instances")
	}
}
