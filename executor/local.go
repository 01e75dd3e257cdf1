package executor

import (
	"context"
	"encoding/json"
	"fmt"
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
	// Serialize sends every spec and result through JSON, exactly as a
	// remote executor would receive and answer them; tests turn it on so
	// anything that does not survive the wire fails locally first.
	Serialize bool
}

var _ task.Executor = (*Local)(nil)

// NewLocal returns a pool of slots in-process executor slots (0: one per core).
func NewLocal(rt *Runtime, slots int) *Local {
	return &Local{rt: rt, slots: LocalSlots(slots)}
}

// LocalSlots is the slot count NewLocal takes for slots (0: one per core).
func LocalSlots(slots int) int {
	if slots <= 0 {
		return runtime.NumCPU()
	}
	return slots
}

func (l *Local) Run(ctx context.Context, spec *task.Spec) (*task.Result, error) {
	if l.Inject != nil {
		if err := l.Inject(spec); err != nil {
			return nil, err
		}
	}
	if !l.Serialize {
		return l.rt.Run(ctx, spec)
	}
	wire, err := roundTrip(spec)
	if err != nil {
		return nil, task.AsFatal(fmt.Errorf("task spec does not serialize: %w", err))
	}
	res, err := l.rt.Run(ctx, wire)
	if err != nil {
		return nil, err
	}
	return roundTrip(res)
}

// roundTrip marshals v to JSON and back.
func roundTrip[T any](v *T) (*T, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	out := new(T)
	if err := json.Unmarshal(b, out); err != nil {
		return nil, err
	}
	return out, nil
}

func (l *Local) Slots() int   { return l.slots }
func (l *Local) Close() error { return nil }
