package driver

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/drover-etl/drover/adaptive"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/stage"
	"github.com/drover-etl/drover/task"
)

// A coalesced reduce task reads both partitions, and a map output it
// loses is recomputed by lineage as for an unadapted task.
func TestAdaptiveCoalescedTaskRecoversLostMapOutput(t *testing.T) {
	ex := &fakeExec{slots: 2}
	var once sync.Once
	var mu sync.Mutex
	var reads []task.Reads
	ex.fail = func(spec *task.Spec) error {
		if spec.Stage != 1 {
			return nil
		}
		mu.Lock()
		reads = append(reads, spec.Reads)
		mu.Unlock()
		var err error
		once.Do(func() { err = task.FetchFailure(0, 1, errors.New("no such object")) })
		return err
	}
	sum, err := Run(context.Background(), twoStageGraph(), Config{Executor: ex})
	if err != nil {
		t.Fatal(err)
	}
	if ex.attempts(0, 1) != 2 || ex.attempts(0, 0) != 1 {
		t.Fatalf("want only map task 0.1 re-run, ran %v", ex.runs)
	}
	want := task.ReadRange{PartStart: 0, PartEnd: 2, MapStart: 0, MapEnd: 3}
	if len(reads) != 2 || reads[1][0] != want {
		t.Fatalf("reduce attempts read %v, want two attempts reading %+v", reads, want)
	}
	st := sum.Stages[1]
	if st.Tasks != 1 || st.Adaptive == nil || !st.Adaptive.Coalesced || st.Adaptive.Partitions != 2 {
		t.Fatalf("stage 1 stats %+v, decision %+v", st, st.Adaptive)
	}
	if ds := sum.Adaptive(); len(ds) != 1 || ds[0].String() != "stage 1: 2 partitions coalesced into 1 task" {
		t.Fatalf("decisions %v", ds)
	}
}

// A lost output of an adapted map stage is recomputed by re-running that
// stage's task with the reads it had, not one planned partition.
func TestAdaptiveRecomputeOfAnAdaptedMapStage(t *testing.T) {
	g := twoStageGraph()
	g.Stages[1].Output = &physical.ExchangeSpec{Kind: physical.PartHash, Partitions: 2}
	schema := g.Stages[1].Root.Schema
	g.Stages = append(g.Stages, &stage.Stage{ID: 2, Parents: []int{1}, Partitions: 2,
		Output: &physical.ExchangeSpec{Kind: physical.PartSingle, Partitions: 1},
		Root:   &physical.Node{Op: physical.OpStageRead, Schema: schema, Read: &physical.ReadSpec{Stage: 1, Kind: physical.PartHash}}})
	ex := &fakeExec{slots: 2}
	var once sync.Once
	var mu sync.Mutex
	var stage1 []task.Reads
	ex.fail = func(spec *task.Spec) error {
		switch spec.Stage {
		case 1:
			mu.Lock()
			stage1 = append(stage1, spec.Reads)
			mu.Unlock()
		case 2:
			var err error
			once.Do(func() { err = task.FetchFailure(1, 0, errors.New("no such object")) })
			return err
		}
		return nil
	}
	if _, err := Run(context.Background(), g, Config{Executor: ex}); err != nil {
		t.Fatal(err)
	}
	want := task.ReadRange{PartStart: 0, PartEnd: 2, MapStart: 0, MapEnd: 3}
	if len(stage1) != 2 || stage1[0][0] != want || stage1[1][0] != want {
		t.Fatalf("stage 1 attempts read %v, want the first and its recompute both reading %+v", stage1, want)
	}
}

// Under a small task budget a reduce stage runs more, smaller tasks than
// the advisory size alone would give it, and the summary says why.
func TestAdaptiveCoalescingCappedByTaskBudget(t *testing.T) {
	g := twoStageGraph()
	g.Stages[0].Output.Partitions, g.Stages[1].Partitions = 8, 8
	// a sort holds its input (a bare read would stream it: no cap)
	read := g.Stages[1].Root
	g.Stages[1].Root = &physical.Node{Op: physical.OpSort, Schema: read.Schema, Inputs: []*physical.Node{read}}
	run := func(budget int64) (*Summary, map[task.ReadRange]bool) {
		ex := &fakeExec{slots: 2, mem: 10 << 20} // 8 partitions × 3 maps × 10 MiB in memory, 2.5 MiB encoded
		var mu sync.Mutex
		reads := map[task.ReadRange]bool{}
		ex.fail = func(spec *task.Spec) error {
			if spec.Stage == 1 {
				mu.Lock()
				reads[spec.Reads[0]] = true
				mu.Unlock()
			}
			return nil
		}
		sum, err := Run(context.Background(), g, Config{Executor: ex, Adaptive: adaptive.Config{TaskMemoryBytes: budget}})
		if err != nil {
			t.Fatal(err)
		}
		return sum, reads
	}
	sum, reads := run(0)
	if st := sum.Stages[1]; st.Tasks != 1 || len(reads) != 1 {
		t.Fatalf("without a budget: %d tasks reading %v, want 1", st.Tasks, reads)
	}
	// 128 MiB: a 64 MiB cap, two partitions (60 MiB in memory) a task.
	sum, reads = run(128 << 20)
	if st := sum.Stages[1]; st.Tasks != 4 || len(reads) != 4 {
		t.Fatalf("under a 128 MiB budget: %d tasks reading %v, want 4", st.Tasks, reads)
	}
	for r := range reads {
		if r.PartEnd-r.PartStart != 2 || r.MapStart != 0 || r.MapEnd != 3 {
			t.Fatalf("capped task reads %+v, want two whole partitions", r)
		}
	}
	want := "stage 1: 8 partitions coalesced into 4 tasks (cap 64.0 MiB in memory from the task budget of 128.0 MiB)"
	if ds := sum.Adaptive(); len(ds) != 1 || ds[0].String() != want {
		t.Fatalf("decisions %v, want %q", ds, want)
	}
}
