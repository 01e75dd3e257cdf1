package executor

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/mapstatus"
	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/metrics"
	"github.com/drover-etl/drover/operator"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/s3cost"
	"github.com/drover-etl/drover/spill"
	"github.com/drover-etl/drover/task"
)

// Runtime executes task specs.
type Runtime struct {
	// Name identifies the executor in metrics and logs.
	Name string
	// TempDir receives spill files when Spill is nil ("": the OS default).
	TempDir string
	// Spill, when set, is where tasks spill (a local directory or S3,
	// chosen once per process): each task gets its own Dir from it.
	Spill *spill.Place
	// UDF calls plugin functions (nil: none).
	UDF eval.ScalarUDF
	// Transforms runs plugin batch transforms (nil: none).
	Transforms operator.Transformer
	// Pool is the executor's memory budget, shared by its task slots (nil:
	// each task gets its own pool of its spec's MemoryBytes).
	Pool *memory.Pool
	// Hog allocates and touches this many bytes before every task (chaos
	// testing: a task that outgrows its executor's memory limit, so that
	// Nomad OOM-kills the executor).
	Hog int64
	// Delay holds every task this long before it starts (chaos testing:
	// it widens the window in which a test can kill a busy executor).
	Delay time.Duration
	// Delayed picks the tasks Delay holds (nil: all); chaos tests hold one
	// partition's first attempt to make a straggler.
	Delayed func(spec *task.Spec) bool

	// statuses holds the map status objects the tasks read.
	statuses mapstatus.Cache
	// broadcasts holds the broadcast hash tables the tasks share.
	broadcasts operator.BroadcastCache
}

// Run executes one task. A panic inside an operator becomes a fatal task
// error (with its stack) instead of taking the executor down.
func (rt *Runtime) Run(ctx context.Context, spec *task.Spec) (res *task.Result, err error) {
	start := time.Now()
	// The task's S3 requests are counted in its own recorder.
	rec := s3cost.NewRecorder()
	ctx = s3cost.WithRecorder(ctx, rec)
	metrics.ExecutorTasksRunning.Inc()
	defer func() {
		metrics.ExecutorTasksRunning.Dec()
		observeTask(ctx, spec, res, err)
		if err != nil {
			// A failed attempt's requests are billed too.
			err = task.WithMetrics(err, task.Metrics{S3: rec.Usage(), Duration: time.Since(start), Executor: rt.Name})
		}
	}()
	defer func() {
		if r := recover(); r != nil {
			err = task.AsFatal(fmt.Errorf("task %s panicked: %v\n%s", spec.ID, r, debug.Stack()))
		}
	}()
	inputs, err := rt.statuses.Resolve(ctx, spec)
	if err != nil {
		return nil, fmt.Errorf("task %s: map status: %w", spec.ID, err)
	}
	env := &operator.Env{
		Partition: spec.Partition, Inputs: inputs, Reads: spec.Reads, Pool: rt.Pool, MemoryBytes: spec.MemoryBytes,
		TempDir: rt.TempDir, BatchRows: spec.BatchRows, UDF: rt.UDF, Transforms: rt.Transforms,
	}
	if rt.Spill != nil {
		env.Spill = rt.Spill.Dir(ctx, spill.Task{Run: spec.Run, Executor: rt.Name, ID: spec.ID.String(), ShuffleDir: spec.ShuffleDir})
	}
	if rt.Pool != nil { // a shared table is reserved from the shared pool
		env.Broadcasts = &rt.broadcasts
	}
	if rt.Delay > 0 && (rt.Delayed == nil || rt.Delayed(spec)) {
		select {
		case <-time.After(rt.Delay):
		case <-ctx.Done():
			return nil, task.AsRetryable(ctx.Err())
		}
	}
	hog(rt.Hog)
	frag, sortKeys := sampleFragment(spec)
	in, err := operator.Build(ctx, frag, env)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	res = &task.Result{ID: spec.ID}
	switch {
	case spec.Sample:
		res.Samples, err = sampleKeys(ctx, in, sortKeys, env)
	case spec.Output != nil:
		res.Output, res.Metrics.RowsOut, res.Metrics.BytesWritten, err = writeExchange(ctx, in, spec, env)
	case spec.Fragment.Op == physical.OpWrite:
		err = writeSink(ctx, in, spec, res, env)
	default:
		err = fmt.Errorf("task %s has no output", spec.ID)
	}
	if err != nil {
		return nil, err
	}
	res.Metrics.RowsIn = env.RowsIn.Load()
	res.Metrics.BytesRead = env.BytesRead.Load()
	res.Metrics.SpilledBytes = env.Spilled.Load()
	res.Metrics.ShuffleBytesRead = env.ShuffleBytesRead.Load()
	res.Metrics.RuntimeFiltered = env.RuntimeFiltered.Load()
	res.Metrics.S3 = rec.Usage()
	res.Metrics.Duration = time.Since(start)
	res.Metrics.Executor = rt.Name
	if !spec.Sample {
		res.Metrics.Operators = env.Operators()
	}
	return res, nil
}

// hog holds n bytes, every page touched, for a moment.
func hog(n int64) {
	if n <= 0 {
		return
	}
	b := make([]byte, n)
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	time.Sleep(100 * time.Millisecond)
	runtime.KeepAlive(b)
}

// drive pulls every batch from in and hands it to fn.
func drive(ctx context.Context, in batch.Reader, fn func(rec arrowRecord) error) error {
	for {
		rec, err := in.Next(ctx)
		if err != nil {
			if isEOF(err) {
				return nil
			}
			return err
		}
		err = fn(rec)
		rec.Release()
		if err != nil {
			return err
		}
	}
}

// observeTask adds a finished task to the executor's Prometheus metrics.
func observeTask(ctx context.Context, spec *task.Spec, res *task.Result, err error) {
	switch {
	case err == nil:
		metrics.ExecutorTasks.WithLabelValues("succeeded").Inc()
	case ctx.Err() != nil:
		metrics.ExecutorTasks.WithLabelValues("canceled").Inc()
		return
	default:
		metrics.ExecutorTasks.WithLabelValues("failed").Inc()
		return
	}
	m := res.Metrics
	metrics.ExecutorRowsRead.Add(float64(m.RowsIn))
	metrics.ExecutorRowsWritten.Add(float64(m.RowsOut))
	metrics.ExecutorBytesRead.Add(float64(m.BytesRead - m.ShuffleBytesRead))
	metrics.ExecutorShuffleBytesRead.Add(float64(m.ShuffleBytesRead))
	metrics.ExecutorSpilledBytes.Add(float64(m.SpilledBytes))
	if spec.Output != nil {
		metrics.ExecutorShuffleBytesWritten.Add(float64(m.BytesWritten))
	} else {
		metrics.ExecutorBytesWritten.Add(float64(m.BytesWritten))
	}
}
