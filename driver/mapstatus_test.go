package driver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/drover-etl/drover/adaptive"
	"github.com/drover-etl/drover/mapstatus"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/stage"
	_ "github.com/drover-etl/drover/storage/local"
	"github.com/drover-etl/drover/task"
)

// wideGraph is a map stage of maps tasks hashing into parts partitions,
// read by a reduce stage.
func wideGraph(maps, parts int) *stage.Graph {
	g := twoStageGraph()
	g.Stages[0].Partitions = maps
	g.Stages[0].Output = &physical.ExchangeSpec{Kind: physical.PartHash, Partitions: parts}
	g.Stages[1].Partitions = parts
	return g
}

// reduceSpecs runs g with every stage's outputs behind a map status
// object and returns the reduce specs, as JSON, and the map outputs each
// one's map status lists.
func reduceSpecs(t *testing.T, g *stage.Graph) ([][]byte, [][]task.MapOutput) {
	t.Helper()
	var mu sync.Mutex
	var specs [][]byte
	var listed [][]task.MapOutput
	ex := &fakeExec{slots: 4, fail: func(spec *task.Spec) error {
		if spec.Stage != 1 {
			return nil
		}
		js, err := json.Marshal(spec)
		if err != nil {
			return task.AsFatal(err)
		}
		ref := spec.InputIndex[0]
		outs, err := mapstatus.Read(context.Background(), ref.URL, ref.Maps)
		if err != nil {
			return task.AsFatal(err)
		}
		mu.Lock()
		specs, listed = append(specs, js), append(listed, outs)
		mu.Unlock()
		return nil
	}}
	cfg := Config{Executor: ex, ShuffleDir: t.TempDir(), InlineInputs: -1, KeepShuffle: true, Adaptive: adaptive.Config{Disabled: true}}
	if _, err := Run(context.Background(), g, cfg); err != nil {
		t.Fatal(err)
	}
	return specs, listed
}

// TestSpecSizeIndependentOfMapCount: with a map status object, a reduce
// spec is as large for 2,000 map tasks as for 20, and the object lists
// every map output with its sizes.
func TestSpecSizeIndependentOfMapCount(t *testing.T) {
	sizes := map[int]int{}
	for _, maps := range []int{20, 2000} {
		specs, listed := reduceSpecs(t, wideGraph(maps, 50))
		if len(specs) != 50 {
			t.Fatalf("%d maps: %d reduce specs, want 50", maps, len(specs))
		}
		for i, js := range specs {
			sizes[maps] = max(sizes[maps], len(js))
			if len(listed[i]) != maps || listed[i][maps-1].URL != fmt.Sprintf("mem://0.%d.0", maps-1) || len(listed[i][0].Bytes) != 50 {
				t.Fatalf("%d maps: map status lists %d outputs", maps, len(listed[i]))
			}
		}
	}
	// Only the digits of the map count may differ.
	if d := sizes[2000] - sizes[20]; d < 0 || d > 2 || sizes[2000] > 4<<10 {
		t.Fatalf("reduce spec sizes: %v bytes for 20 and 2000 map tasks", sizes)
	}
}

// TestSmallStagesStayInline: under the threshold, specs list the map
// outputs themselves (and no object is written).
func TestSmallStagesStayInline(t *testing.T) {
	ex := &fakeExec{slots: 2, fail: func(spec *task.Spec) error {
		if spec.Stage == 1 && (len(spec.Inputs[0]) != 3 || spec.InputIndex != nil) {
			return task.AsFatal(fmt.Errorf("spec inputs %v, index %v", spec.Inputs, spec.InputIndex))
		}
		return nil
	}}
	if _, err := Run(context.Background(), twoStageGraph(), Config{Executor: ex, ShuffleDir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
}

// TestFetchFailureRepublishesMapStatus: a reducer that loses a map output
// named by a map status object gets the lost map task re-run, and its
// retry names a new version listing the new output.
func TestFetchFailureRepublishesMapStatus(t *testing.T) {
	var mu sync.Mutex
	var refs []task.InputRef
	ex := &fakeExec{slots: 2}
	ex.fail = func(spec *task.Spec) error {
		if spec.Stage != 1 || spec.Partition != 0 {
			return nil
		}
		ref := spec.InputIndex[0]
		mu.Lock()
		refs = append(refs, ref)
		mu.Unlock()
		outs, err := mapstatus.Read(context.Background(), ref.URL, ref.Maps)
		if err != nil {
			return task.AsFatal(err)
		}
		if outs[1].URL == "mem://0.1.0" {
			return task.FetchFailure(0, 1, errors.New("no such object"))
		}
		return nil
	}
	cfg := Config{Executor: ex, ShuffleDir: t.TempDir(), InlineInputs: -1}
	if _, err := Run(context.Background(), twoStageGraph(), cfg); err != nil {
		t.Fatal(err)
	}
	if ex.attempts(0, 1) != 2 || ex.attempts(0, 0) != 1 || ex.attempts(0, 2) != 1 {
		t.Fatalf("map attempts: %v", ex.runs)
	}
	if len(refs) != 2 || refs[0].Version != 0 || refs[1].Version != 1 || refs[0].URL == refs[1].URL {
		t.Fatalf("reducer 1.0 was given %+v, want versions 0 then 1", refs)
	}
}
