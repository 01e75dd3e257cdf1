package local

import (
	"context"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/drover-etl/drover/mapstatus"
	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/task"
)

// TestMapStatusLostShuffleFile runs the revenue job with every stage's
// map outputs behind map status objects, deletes the first map output of
// each upstream stage as its first reducer starts, and checks that the
// lost map tasks are recomputed (found through the object, which is then
// republished) and the output equals the clean inline run's.
func TestMapStatusLostShuffleFile(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	data := genData(t)
	clean, _ := revenueRows(t, data, filepath.Join(t.TempDir(), "out"), nil)

	var mu sync.Mutex
	deleted := map[int]bool{}
	mapRuns := map[[2]int]int{}
	indexed := 0
	inject := func(spec *task.Spec) error {
		mu.Lock()
		defer mu.Unlock()
		if spec.Output != nil && !spec.Sample {
			mapRuns[[2]int{spec.Stage, spec.Partition}]++
		}
		if len(spec.Inputs) > 0 {
			t.Errorf("task %s lists its inputs inline", spec.ID)
		}
		for stage, ref := range spec.InputIndex {
			indexed++
			if deleted[stage] {
				continue
			}
			deleted[stage] = true
			outs, err := mapstatus.Read(context.Background(), ref.URL, ref.Maps)
			if err != nil {
				return err
			}
			loc, err := storage.Resolve(context.Background(), outs[0].URL)
			if err != nil {
				return err
			}
			if err := loc.Store.Delete(context.Background(), loc.Key); err != nil {
				return err
			}
		}
		return nil
	}
	got := revenueRowsWith(t, data, filepath.Join(t.TempDir(), "out"), runOpts{inject: inject, inlineInputs: -1})
	if !reflect.DeepEqual(got, clean) {
		t.Fatalf("output differs from the clean run:\n%v\nvs\n%v", got, clean)
	}
	if indexed == 0 || len(deleted) == 0 {
		t.Fatalf("%d specs named a map status, %d stages lost an output", indexed, len(deleted))
	}
	for stage := range deleted {
		if mapRuns[[2]int{stage, 0}] < 2 {
			t.Fatalf("map task %d.0 lost its output but ran %d times", stage, mapRuns[[2]int{stage, 0}])
		}
	}
}

// TestSharedBroadcastMatchesOwnTables runs the revenue job with its
// customers join broadcast, on executors sharing one memory pool (so the
// probe tasks share the broadcast table) and with map status objects,
// and checks the output equals that of tasks building their own tables
// (the same plan: a shuffled join sums its floats in another order).
func TestSharedBroadcastMatchesOwnTables(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	data := genData(t)
	clean := revenueRowsWith(t, data, filepath.Join(t.TempDir(), "out"), runOpts{broadcast: 8 << 20})
	pool := memory.NewPool(256 << 20)
	var mu sync.Mutex
	broadcastReads := 0
	inject := func(spec *task.Spec) error {
		if readsBroadcast(spec.Fragment) {
			mu.Lock()
			broadcastReads++
			mu.Unlock()
		}
		return nil
	}
	got := revenueRowsWith(t, data, filepath.Join(t.TempDir(), "out"),
		runOpts{broadcast: 8 << 20, pool: pool, inlineInputs: -1, inject: inject})
	if !reflect.DeepEqual(got, clean) {
		t.Fatalf("output differs from the unshared broadcast's:\n%v\nvs\n%v", got, clean)
	}
	if broadcastReads < 2 {
		t.Fatalf("%d tasks read a broadcast; the plan did not broadcast the join", broadcastReads)
	}
}

func readsBroadcast(n *physical.Node) bool {
	if n.Op == physical.OpStageRead && n.Read.Kind == physical.PartBroadcast {
		return true
	}
	for _, c := range n.Inputs {
		if readsBroadcast(c) {
			return true
		}
	}
	return false
}
