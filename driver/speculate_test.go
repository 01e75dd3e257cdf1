package driver

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/drover-etl/drover/task"
)

// unplacedExec holds task 0.1's first attempt until it is cancelled and
// answers the first speculative copy as a pool with no other executor
// free would.
type unplacedExec struct {
	fakeExec
	unplaced atomic.Int64
}

func (u *unplacedExec) Run(ctx context.Context, spec *task.Spec) (*task.Result, error) {
	if spec.Stage == 0 && spec.Partition == 1 && spec.Attempt == 0 {
		<-ctx.Done()
		return nil, task.AsRetryable(context.Cause(ctx))
	}
	if _, ok := task.SpeculativeOf(ctx); ok && u.unplaced.Add(1) == 1 {
		return nil, task.AsRetryable(fmt.Errorf("%w (test)", task.ErrNoSpareExecutor))
	}
	return u.fakeExec.Run(ctx, spec)
}

// TestUnplacedCopyIsRetriedAndNotCounted: a copy that found no executor
// is neither an attempt nor a launched copy, and a later copy still runs.
func TestUnplacedCopyIsRetriedAndNotCounted(t *testing.T) {
	ex := &unplacedExec{fakeExec: fakeExec{slots: 3}}
	sum, err := Run(context.Background(), twoStageGraph(), Config{Executor: ex,
		Speculation: Speculation{Enabled: true, MinRuntime: time.Millisecond, Interval: time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	if n := ex.unplaced.Load(); n != 2 {
		t.Fatalf("%d speculative copies reached the executor, want 2 (one unplaced, one run)", n)
	}
	st := sum.Stages[0]
	if st.Speculated != 1 || st.SpeculativeWins != 1 || st.Attempts != st.Tasks+1 {
		t.Errorf("stage 0: %d copies, %d won, %d attempts for %d tasks; want 1, 1 and tasks+1 (the copy)",
			st.Speculated, st.SpeculativeWins, st.Attempts, st.Tasks)
	}
}

func TestSpeculationDefaults(t *testing.T) {
	got := Speculation{Enabled: true}.withDefaults()
	want := Speculation{Enabled: true, Multiplier: 1.5, Quantile: 0.75, MinRuntime: time.Second, MinTasks: 2, Interval: 100 * time.Millisecond}
	if got != want {
		t.Errorf("defaults = %+v, want %+v", got, want)
	}
	if got := (Speculation{Quantile: 0.5, Multiplier: 3}).withDefaults(); got.Quantile != 0.5 || got.Multiplier != 3 {
		t.Errorf("set values were replaced: %+v", got)
	}
}

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		in   []time.Duration
		want time.Duration
	}{
		{[]time.Duration{5}, 5},
		{[]time.Duration{9, 1, 5}, 5},
		{[]time.Duration{4, 1, 3, 2}, 3},
	} {
		if got := median(tc.in); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
