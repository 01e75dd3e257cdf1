package driver

import (
	"context"
	"errors"
	"fmt"
	"github.com/drover-etl/drover/adaptive"
	"strings"
	"sync"
	"testing"

	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/stage"
	"github.com/drover-etl/drover/task"
	"github.com/drover-etl/drover/types"
)

// fakeExec records every attempt and fails the ones a test scripts.
type fakeExec struct {
	mu    sync.Mutex
	runs  []task.ID
	fail  func(spec *task.Spec) error
	slots int
	// mem, when set, is every map output partition's size in memory
	// (encoded: a quarter of it).
	mem int64
}

func (f *fakeExec) Run(_ context.Context, spec *task.Spec) (*task.Result, error) {
	f.mu.Lock()
	f.runs = append(f.runs, spec.ID)
	f.mu.Unlock()
	if f.fail != nil {
		if err := f.fail(spec); err != nil {
			return nil, err
		}
	}
	res := &task.Result{ID: spec.ID}
	if spec.Output != nil {
		res.Output = &task.MapOutput{URL: fmt.Sprintf("mem://%s", spec.ID), Bytes: make([]int64, spec.Output.Partitions), Rows: make([]int64, spec.Output.Partitions)}
		if f.mem > 0 {
			res.Output.Mem = make([]int64, spec.Output.Partitions)
			for p := range res.Output.Mem {
				res.Output.Bytes[p], res.Output.Rows[p], res.Output.Mem[p] = f.mem/4, 1, f.mem
			}
		}
	}
	return res, nil
}

func (f *fakeExec) Slots() int   { return f.slots }
func (f *fakeExec) Close() error { return nil }

func (f *fakeExec) attempts(stageID, part int) int {
	n := 0
	for _, id := range f.runs {
		if id.Stage == stageID && id.Partition == part {
			n++
		}
	}
	return n
}

// twoStageGraph is a map stage of 3 tasks hashing into 2 partitions, read
// by a reduce stage that is not a sink (so no commit happens).
func twoStageGraph() *stage.Graph {
	schema := types.NewSchema(types.Field{Name: "x", Type: types.Int64Type})
	mapRoot := &physical.Node{Op: physical.OpScan, Schema: schema, Scan: &physical.ScanSpec{}}
	out := &physical.ExchangeSpec{Kind: physical.PartHash, Partitions: 2}
	reduce := &physical.Node{Op: physical.OpStageRead, Schema: schema, Read: &physical.ReadSpec{Stage: 0, Kind: physical.PartHash}}
	return &stage.Graph{Stages: []*stage.Stage{
		{ID: 0, Root: mapRoot, Output: out, Partitions: 3},
		{ID: 1, Root: reduce, Output: &physical.ExchangeSpec{Kind: physical.PartSingle, Partitions: 1}, Parents: []int{0}, Partitions: 2},
	}}
}

func TestRunOrdersStagesAndPassesMapOutputs(t *testing.T) {
	ex := &fakeExec{slots: 2}
	var seen [][]task.MapOutput
	var mu sync.Mutex
	ex.fail = func(spec *task.Spec) error {
		if spec.Stage == 1 {
			mu.Lock()
			seen = append(seen, spec.Inputs[0])
			mu.Unlock()
		}
		return nil
	}
	if _, err := Run(context.Background(), twoStageGraph(), Config{Executor: ex, Adaptive: adaptive.Config{Disabled: true}}); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 {
		t.Fatalf("reduce tasks ran %d times, want 2", len(seen))
	}
	for _, in := range seen {
		if len(in) != 3 || in[2].URL != "mem://0.2.0" {
			t.Fatalf("reduce task saw map outputs %+v", in)
		}
	}
}

func TestRetryableErrorsRetryUpToLimit(t *testing.T) {
	ex := &fakeExec{slots: 2}
	ex.fail = func(spec *task.Spec) error {
		if spec.Stage == 0 && spec.Partition == 1 && spec.Attempt < 2 {
			return errors.New("connection reset")
		}
		return nil
	}
	if _, err := Run(context.Background(), twoStageGraph(), Config{Executor: ex}); err != nil {
		t.Fatal(err)
	}
	if got := ex.attempts(0, 1); got != 3 {
		t.Fatalf("task 0.1 ran %d times, want 3", got)
	}

	ex = &fakeExec{slots: 1, fail: func(spec *task.Spec) error { return errors.New("always") }}
	_, err := Run(context.Background(), twoStageGraph(), Config{Executor: ex, MaxAttempts: 2})
	if err == nil || !strings.Contains(err.Error(), "failed 2 times") {
		t.Fatalf("want an attempts-exhausted error, got %v", err)
	}
}

func TestFatalErrorStopsAtOnce(t *testing.T) {
	ex := &fakeExec{slots: 1, fail: func(spec *task.Spec) error {
		return task.AsFatal(errors.New("orders.csv:17: bad value"))
	}}
	_, err := Run(context.Background(), twoStageGraph(), Config{Executor: ex})
	if err == nil || !strings.Contains(err.Error(), "orders.csv:17") {
		t.Fatalf("want the fatal error, got %v", err)
	}
	if ex.attempts(1, 0)+ex.attempts(1, 1) != 0 {
		t.Fatal("the reduce stage ran after a fatal map failure")
	}
	for p := 0; p < 3; p++ {
		if ex.attempts(0, p) > 1 {
			t.Fatalf("fatal task 0.%d was retried", p)
		}
	}
}

func TestFetchFailureRerunsOnlyTheLostMapTask(t *testing.T) {
	ex := &fakeExec{slots: 2}
	var once sync.Once
	ex.fail = func(spec *task.Spec) error {
		if spec.Stage == 1 && spec.Inputs[0][1].URL == "mem://0.1.0" {
			var err error
			once.Do(func() { err = task.FetchFailure(0, 1, errors.New("no such object")) })
			if err != nil {
				return err
			}
		}
		return nil
	}
	if _, err := Run(context.Background(), twoStageGraph(), Config{Executor: ex}); err != nil {
		t.Fatal(err)
	}
	if ex.attempts(0, 0) != 1 || ex.attempts(0, 2) != 1 {
		t.Fatalf("map tasks 0.0 and 0.2 re-ran: %v", ex.runs)
	}
	if ex.attempts(0, 1) != 2 {
		t.Fatalf("lost map task 0.1 ran %d times, want 2", ex.attempts(0, 1))
	}
}

func TestBoundsPicksQuantiles(t *testing.T) {
	var samples [][]types.Value
	for i := 0; i < 100; i++ {
		samples = append(samples, []types.Value{types.Int64Value(int64(99 - i))})
	}
	keys := []logical.SortKey{{}}
	b := Bounds(samples, keys, 4)
	if len(b) != 3 || b[0][0].I != 25 || b[1][0].I != 50 || b[2][0].I != 75 {
		t.Fatalf("bounds = %v", b)
	}
}
