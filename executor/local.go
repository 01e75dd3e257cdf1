package executor

import (
	"context"
	"runtime"

	"github.com/drover-etl/drover/task"
)

// Local runs tasks in-process: the embedded default of `drover run`. The
// driver's scheduler bounds concurrency to Slots.
type Local struct {
	rt    *Runtime
	slots int
	// Inject, when set, runs before each task and may fail it (tests use it
	// to simulate lost executors and lost shuffle files).
	Inject func(spec *task.Spec) error
}

var _ task.Executor = (*Local)(nil)

// NewLocal returns a pool of slots in-process executor slots (0: one per core).
func NewLocal(rt *Runtime, slots int) *Local {
	if slots <= 0 {
		slots = runtime.NumCPU()
	}
	return &Local{rt: rt, slots: slots}
}

func (l *Local) Run(ctx context.Context, spec *task.Spec) (*task.Result, error) {
	if l.Inject != nil {
		if err := l.Inject(spec); err != nil {
			return nil, err
		}
	}
	return l.rt.Run(ctx, spec)
}

func (l *Local) Slots() int   { return l.slots }
func (l *Local) Close() error { return nil }
