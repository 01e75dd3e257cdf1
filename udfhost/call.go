package udfhost

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/metrics"
	"github.com/drover-etl/drover/task"
	"github.com/drover-etl/drover/types"
	"github.com/drover-etl/drover/udf"
)

// errHung is the cause a call's context is cancelled with when the plugin
// takes longer than Config.CallTimeout.
var errHung = errors.New("plugin did not answer in time")

// exitGrace is how long a broken connection may precede the process's
// exit being noticed.
const exitGrace = 2 * time.Second

// CallScalar implements eval.ScalarUDF: one batch of one plugin function.
// The result is held to the type declared while planning and to the
// input's length.
func (h *Host) CallScalar(ctx context.Context, name string, args []arrow.Array, resultType types.Type) (arrow.Array, error) {
	p, fn, err := h.lookup(name)
	if err != nil {
		return nil, task.AsFatal(err)
	}
	if len(args) == 0 {
		return nil, task.AsFatal(fmt.Errorf("%w: %s called without arguments", ErrContract, name))
	}
	rows := args[0].Len()
	var out arrow.Array
	err = p.do(ctx, name, func(ctx context.Context, r udf.Remote) (err error) {
		out, err = r.CallScalar(ctx, fn, args, rows)
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := checkResult(name, out, rows, resultType); err != nil {
		out.Release()
		return nil, err
	}
	return out, nil
}

func checkResult(name string, out arrow.Array, rows int, want types.Type) error {
	switch {
	case out.Len() != rows:
		return task.AsFatal(fmt.Errorf("%w: %s returned %d values for %d rows", ErrContract, name, out.Len(), rows))
	case !arrow.TypeEqual(out.DataType(), want.Arrow()):
		return task.AsFatal(fmt.Errorf("%w: %s returned %s values, but declared %s while planning", ErrContract, name, out.DataType(), want.Arrow()))
	}
	return checkUTF8(name, "", out)
}

// do runs one call on the plugin's process with the call timeout, and
// classifies its failure.
func (p *proc) do(ctx context.Context, what string, call func(context.Context, udf.Remote) error) error {
	inst, err := p.get(ctx)
	if err != nil {
		return task.AsRetryable(err)
	}
	cctx, cancel := context.WithTimeoutCause(ctx, p.cfg.callTimeout(), errHung)
	defer cancel()
	metrics.PluginCalls.WithLabelValues(p.name).Inc()
	if err := call(cctx, inst.remote); err != nil {
		return p.failed(ctx, cctx, inst, what, err)
	}
	return nil
}

// failed explains and classifies a failed call. ctx is the caller's
// context, cctx the call's (its cause tells a hang). Crashes and hangs are
// retryable: the process is replaced, and a transient fault passes.
// Rejections and failures the plugin reports are fatal unless the plugin
// marked them retryable.
func (p *proc) failed(ctx, cctx context.Context, inst *instance, what string, err error) error {
	if ctx.Err() != nil {
		return err // the task was cancelled: not the plugin's doing
	}
	metrics.PluginCallErrors.WithLabelValues(p.name).Inc()
	switch {
	case errors.Is(context.Cause(cctx), errHung):
		metrics.PluginCrashes.WithLabelValues(p.name).Inc()
		p.kill(inst)
		return task.AsRetryable(fmt.Errorf("%w: plugin %q: %s did not answer within %s; the plugin was killed and will be restarted%s",
			ErrTimeout, p.name, what, p.cfg.callTimeout(), inst.tail.quote()))
	case lostPlugin(err) && inst.exited(exitGrace):
		metrics.PluginCrashes.WithLabelValues(p.name).Inc()
		p.retire(inst)
		return task.AsRetryable(fmt.Errorf("%w: plugin %q (%s) died during %s; it will be restarted%s",
			ErrCrashed, p.name, p.source, what, inst.tail.quote()))
	case lostPlugin(err):
		return task.AsRetryable(fmt.Errorf("plugin %q: %s: %w", p.name, what, err))
	}
	return task.AsFatal(fmt.Errorf("plugin %q: %s: %w", p.name, what, err))
}

// lostPlugin reports errors that mean the connection to the plugin broke.
// A stream cancels its own context when its transport fails, so a
// cancellation the caller did not ask for counts too.
func lostPlugin(err error) bool {
	return errors.Is(err, udf.ErrUnavailable) || errors.Is(err, context.Canceled)
}
