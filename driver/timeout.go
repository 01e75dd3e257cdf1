package driver

import (
	"context"
	"errors"
	"fmt"

	"github.com/drover-etl/drover/task"
)

// ErrTaskTimedOut marks an attempt that ran longer than
// Config.TaskTimeout; it was cancelled and counts as a failed attempt.
var ErrTaskTimedOut = errors.New("timed out")

// withTimeout bounds one attempt by Config.TaskTimeout. The clock starts
// when the attempt has a driver slot, so waiting for one is not counted.
func (s *scheduler) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if s.cfg.TaskTimeout <= 0 {
		return ctx, func() {}
	}
	return context.WithTimeoutCause(ctx, s.cfg.TaskTimeout, ErrTaskTimedOut)
}

// timedOut turns the failure of an attempt whose own deadline (not the
// job's or its race's cancellation) stopped it into a retryable timeout
// error naming the attempt and its executor.
func (s *scheduler) timedOut(ctx, actx context.Context, spec *task.Spec, err error) error {
	if err == nil || ctx.Err() != nil || !errors.Is(context.Cause(actx), ErrTaskTimedOut) {
		return err
	}
	m, hasM := task.MetricsOf(err)
	addr := task.ExecutorOf(err)
	if addr == "" {
		addr = m.Executor
	}
	if addr == "" {
		addr = "(unknown)"
	}
	terr := task.AsRetryable(fmt.Errorf("task %d.%d attempt %d %w after %v on executor %s",
		spec.Stage, spec.Partition, spec.Attempt, ErrTaskTimedOut, s.cfg.TaskTimeout, addr))
	if hasM {
		terr = task.WithMetrics(terr, m)
	}
	return task.OnExecutor(addr, terr)
}
