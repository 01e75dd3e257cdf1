package driver

import (
	"context"
	"errors"

	"github.com/drover-etl/drover/metrics"
	"github.com/drover-etl/drover/task"
)

// observedExecutor keeps drover_driver_tasks{state} current: an attempt
// is pending from dispatch until the executor takes it (a slot is free),
// then running.
type observedExecutor struct{ task.Executor }

func (e observedExecutor) Run(ctx context.Context, spec *task.Spec) (*task.Result, error) {
	pending, running := metrics.DriverTasks.WithLabelValues("pending"), metrics.DriverTasks.WithLabelValues("running")
	pending.Dec()
	running.Inc()
	defer func() {
		running.Dec()
		pending.Inc() // dispatchCounted takes it off
	}()
	return e.Executor.Run(ctx, spec)
}

// dispatchCounted is dispatch with the attempt counted in the driver's
// metrics, and a failed attempt's S3 requests added to its stage.
func (s *scheduler) dispatchCounted(ctx context.Context, spec *task.Spec) (*task.Result, error) {
	pending := metrics.DriverTasks.WithLabelValues("pending")
	pending.Inc()
	res, err := s.dispatch(ctx, spec)
	pending.Dec()
	metrics.DriverTaskAttempts.WithLabelValues(attemptResult(ctx, err)).Inc()
	if err != nil {
		s.recordFailedS3(spec.Stage, err)
	}
	return res, err
}

func attemptResult(ctx context.Context, err error) string {
	switch {
	case err == nil:
		return "succeeded"
	case ctx.Err() != nil:
		return "canceled"
	case errors.Is(err, ErrTaskTimedOut):
		return "timed_out"
	case errors.Is(err, task.ErrNoSpareExecutor):
		return "unplaced"
	case errors.Is(err, task.ErrExecutorLost):
		return "lost"
	case errors.Is(err, task.ErrOOMKilled):
		return "oom_killed"
	}
	switch task.ClassOf(err) {
	case task.Fatal:
		return "fatal"
	case task.FetchFailed:
		return "fetch_failed"
	}
	return "failed"
}

// recordFailedS3 adds a failed attempt's S3 requests, when its executor
// reported them, to its stage: S3 bills them as well.
func (s *scheduler) recordFailedS3(stageID int, err error) {
	m, ok := task.MetricsOf(err)
	if !ok {
		return
	}
	s.mu.Lock()
	s.stageSt[stageID].Metrics.S3.Add(m.S3)
	s.mu.Unlock()
}
