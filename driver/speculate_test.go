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
	if _, ok := task.SpeculativeOf(ctx); ok && spec.Stage == 0 && u.unplaced.Add(1) == 1 {
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
		t.Fatalf("%d speculative copies of stage 0 reached the executor, want 2 (one unplaced, one run)", n)
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

// raceExec scripts task 0.1's original and its copy; all else succeeds.
type raceExec struct {
	fakeExec
	original, copy func(ctx context.Context) error
}

func (r *raceExec) Run(ctx context.Context, spec *task.Spec) (*task.Result, error) {
	if spec.Stage == 0 && spec.Partition == 1 {
		f := r.original
		if _, ok := task.SpeculativeOf(ctx); ok {
			f = r.copy
		}
		if err := f(ctx); err != nil {
			return nil, err
		}
	}
	return r.fakeExec.Run(ctx, spec)
}

type retryCount struct {
	nopProgress
	n atomic.Int64
}

func (r *retryCount) TaskRetry(task.ID, error) { r.n.Add(1) }

// TestRaceOutcomes: a copy's failure, even a fatal one, never fails the
// task; the original's failure while its copy runs is not a retry when
// the copy then succeeds.
func TestRaceOutcomes(t *testing.T) {
	for _, tc := range []struct {
		name     string
		script   func() (original, copy func(context.Context) error)
		wins     int
		attempts int // beyond one per task
	}{
		{"fatal copy, original finishes", func() (func(context.Context) error, func(context.Context) error) {
			copyDone := make(chan struct{})
			return func(ctx context.Context) error {
					<-copyDone
					return nil
				}, func(context.Context) error {
					defer close(copyDone)
					return task.AsFatal(fmt.Errorf("copy: bad row (test)"))
				}
		}, 0, 1},
		{"original fails while the copy runs", func() (func(context.Context) error, func(context.Context) error) {
			started, origDone := make(chan struct{}), make(chan struct{})
			return func(ctx context.Context) error {
					<-started
					defer close(origDone)
					return task.AsRetryable(fmt.Errorf("original: connection reset (test)"))
				}, func(context.Context) error {
					close(started)
					<-origDone
					return nil
				}
		}, 1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			orig, cp := tc.script()
			ex := &raceExec{fakeExec: fakeExec{slots: 3}, original: orig, copy: cp}
			prog := &retryCount{}
			sum, err := Run(context.Background(), twoStageGraph(), Config{Executor: ex, Progress: prog,
				Speculation: Speculation{Enabled: true, MinRuntime: time.Millisecond, Interval: time.Millisecond}})
			if err != nil {
				t.Fatal(err)
			}
			st := sum.Stages[0]
			if st.Speculated != 1 || st.SpeculativeWins != tc.wins || st.Attempts != st.Tasks+tc.attempts {
				t.Errorf("stage 0: %d copies, %d won, %d attempts for %d tasks; want 1, %d, tasks+%d",
					st.Speculated, st.SpeculativeWins, st.Attempts, st.Tasks, tc.wins, tc.attempts)
			}
			if n := prog.n.Load(); n != 0 {
				t.Errorf("%d retries reported; a race with a success has none", n)
			}
		})
	}
}
