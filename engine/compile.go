package engine

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/jobplan"
	"github.com/drover-etl/drover/jobspec"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/optimizer"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/stage"
	"github.com/drover-etl/drover/udfhost"
)

// Options steer compilation.
type Options struct {
	// Vars are --var overrides.
	Vars map[string]string
	// Parallelism is the number of task slots (0: one per core); the
	// default shuffle partition count derives from it.
	Parallelism int
	// Partitions overrides the job's shuffle partition count (0: keep).
	Partitions int
	// BroadcastThresholdBytes is passed to the optimizer (0: default,
	// negative: never broadcast).
	BroadcastThresholdBytes int64
	// BroadcastProbeRatio is passed to the optimizer (0: none).
	BroadcastProbeRatio float64
	// Funcs resolves plugin functions (nil: the job's plugin blocks).
	Funcs expr.FuncResolver
	// Plugins configures the plugins started for the job's plugin blocks.
	Plugins udfhost.Config
	// NoPluginCode refuses to start the job's plugins: planning a job that
	// declares any fails with ErrPluginsNotRun (explain without
	// --run-plugins must not execute code a job file names).
	NoPluginCode bool
	// PlanTime is the instant current_date, current_timestamp and now()
	// denote in the whole job (zero: when compiling starts). A resumed run
	// plans at its first driver's instant (ResumePlanTime), so its plan
	// is the journaled one.
	PlanTime time.Time
}

// Compiled is a job ready to run, with every intermediate plan kept for
// explain.
type Compiled struct {
	Job        *jobspec.Job
	Logical    *logical.Plan
	Optimized  *logical.Plan
	Rules      []string // optimizer rules that changed the plan
	Physical   []*physical.Node
	Stages     *stage.Graph
	Partitions int
	// PlanTime is the instant the job was planned at (see Options).
	PlanTime time.Time
	// Plugins runs the job's plugins (nil: it declares none); Close stops them.
	Plugins *udfhost.Host
	// tables holds the job's Iceberg catalogs and table sinks.
	tables *tables
}

// Compile parses and plans a job file.
func Compile(ctx context.Context, path string, opts Options) (*Compiled, error) {
	job, err := jobspec.ParseFile(path, opts.Vars)
	if err != nil {
		return nil, err
	}
	return CompileJob(ctx, job, opts)
}

// compileJob plans an already parsed job (see CompileJob).
func compileJob(ctx context.Context, job *jobspec.Job, opts Options) (*Compiled, error) {
	if err := checkSinkOptions(job); err != nil {
		return nil, err
	}
	tbls := newTables(job)
	c, err := compileWith(ctx, job, opts, tbls)
	if err != nil {
		tbls.Close()
		return nil, err
	}
	return c, nil
}

func compileWith(ctx context.Context, job *jobspec.Job, opts Options, tbls *tables) (*Compiled, error) {
	cat := newCatalog(slots(opts))
	cat.tables = tbls
	at := opts.PlanTime
	if at.IsZero() {
		at = time.Now()
	}
	at = at.UTC().Truncate(time.Microsecond) // what the binder keeps
	lp, err := jobplan.Build(ctx, job, cat, expr.WithClock(opts.Funcs, at))
	if err != nil {
		return nil, err
	}
	if err := tbls.resolveSinks(ctx, lp); err != nil {
		return nil, err
	}
	steps, err := optimizer.OptimizeTrace(lp, optimizer.Config{BroadcastThresholdBytes: opts.BroadcastThresholdBytes,
		BroadcastProbeRatio: opts.BroadcastProbeRatio})
	if err != nil {
		return nil, fmt.Errorf("optimize: %w", err)
	}
	opt := steps[len(steps)-1].Plan
	parts := partitions(job, opts, cat.inputBytes())
	phys, err := physical.Plan(ctx, opt, physical.Config{Partitions: parts, Splitter: cat.splits})
	if err != nil {
		return nil, err
	}
	g, err := stage.Build(phys)
	if err != nil {
		return nil, err
	}
	return &Compiled{Job: job, Logical: lp, Optimized: opt, Rules: optimizer.Fired(steps),
		Physical: phys, Stages: g, Partitions: parts, PlanTime: at, tables: tbls}, nil
}

// partitions is the shuffle partition count: the flag, the job's setting,
// or one per PartitionInputBytes of input, at least twice the slots (so
// that one slow task does not idle the others) and at most
// MaxAutoPartitions. Adaptive execution coalesces partitions that turn
// out small, so erring high is cheap.
func partitions(job *jobspec.Job, opts Options, inputBytes int64) int {
	switch {
	case opts.Partitions > 0:
		return opts.Partitions
	case job.Partitions > 0:
		return job.Partitions
	}
	bySize := int((inputBytes + PartitionInputBytes - 1) / PartitionInputBytes)
	return max(2*slots(opts), 2, min(bySize, MaxAutoPartitions))
}

// PartitionInputBytes is the input size per shuffle partition when the
// count is derived from the data, and MaxAutoPartitions its ceiling.
const (
	PartitionInputBytes = 64 << 20
	MaxAutoPartitions   = 2000
)

// slots is the number of task slots the job is planned for.
func slots(opts Options) int {
	if opts.Parallelism > 0 {
		return opts.Parallelism
	}
	return runtime.NumCPU()
}

// Explain renders the four plans.
func (c *Compiled) Explain() string {
	var sb strings.Builder
	sb.WriteString("== Logical plan ==\n")
	sb.WriteString(logical.FormatPlan(c.Logical))
	sb.WriteString("\n== Optimized plan ==\n")
	if len(c.Rules) > 0 {
		sb.WriteString("(rules applied: " + strings.Join(c.Rules, ", ") + ")\n")
	}
	sb.WriteString(logical.FormatPlan(c.Optimized))
	sb.WriteString("\n== Physical plan ==\n")
	for _, n := range c.Physical {
		sb.WriteString(physical.Format(n))
	}
	fmt.Fprintf(&sb, "\n== Stages (shuffle partitions: %d) ==\n", c.Partitions)
	sb.WriteString(c.Stages.Format())
	return sb.String()
}

// checkSinkOptions rejects format options a sink's writer would refuse,
// before any task runs (each task would fail on them, and be retried).
func checkSinkOptions(job *jobspec.Job) error {
	for _, s := range job.Sinks {
		name := s.Format
		if name == tableFormat {
			name = "parquet" // a table's data files
		}
		f, err := format.Lookup(name)
		if err != nil {
			return jobspec.At(s.Range, fmt.Errorf("sink %q: %w", s.Name, err))
		}
		if err := f.CheckOptions(s.Options, true); err != nil {
			return jobspec.At(s.Range, fmt.Errorf("sink %q: %w", s.Name, err))
		}
	}
	return nil
}
