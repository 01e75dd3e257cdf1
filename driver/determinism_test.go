package driver

import (
	"context"
	"errors"
	"github.com/drover-etl/drover/adaptive"
	"sync"
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/stage"
	"github.com/drover-etl/drover/task"
	"github.com/drover-etl/drover/types"
)

// pluginGraph is twoStageGraph whose map stage runs a plugin transform,
// or (scalar) projects a plugin function's value.
func pluginGraph(scalar bool) *stage.Graph {
	g := twoStageGraph()
	m := g.Stages[0]
	if scalar {
		call := expr.Call("textkit.slug", &expr.Expr{Kind: expr.KindColumn, Name: "x", Index: 0, Type: types.Int64Type})
		m.Root = &physical.Node{Op: physical.OpProject, Schema: m.Root.Schema, Inputs: []*physical.Node{m.Root},
			Project: &physical.ProjectSpec{Exprs: []*expr.Expr{call}}}
	} else {
		m.Root = &physical.Node{Op: physical.OpTransform, Schema: m.Root.Schema, Inputs: []*physical.Node{m.Root},
			Transform: &physical.TransformSpec{Function: "piimask.mask"}}
	}
	return g
}

func TestIndeterminateStages(t *testing.T) {
	slug := func(fn string) bool { return fn == "textkit.slug" }
	cases := []struct {
		name  string
		g     *stage.Graph
		det   func(string) bool
		want0 bool
	}{
		{"built-ins only", twoStageGraph(), nil, false},
		{"plugin transform", pluginGraph(false), nil, true},
		{"plugin scalar, undeclared", pluginGraph(true), nil, true},
		{"plugin scalar, declared deterministic", pluginGraph(true), slug, false},
	}
	for _, tc := range cases {
		got := indeterminateStages(tc.g, tc.det)
		if got[0] != tc.want0 || got[1] != tc.want0 {
			t.Errorf("%s: indeterminate %v, want stages 0 and 1 %v (a reader of one is one)", tc.name, got, tc.want0)
		}
	}
}

// A lost output of an indeterminate map task is recomputed; the reduce
// task that had already read the old output runs again, so no reduce
// result mixes the old and new versions. A deterministic map stage keeps
// the finished reduce task.
func TestIndeterminateRecomputeRerunsConsumers(t *testing.T) {
	for _, tc := range []struct {
		name    string
		g       *stage.Graph
		reruns0 int // runs of reduce task 1.0
	}{
		{"indeterminate", pluginGraph(false), 2},
		{"deterministic", twoStageGraph(), 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ex := &fakeExec{slots: 2} // 1.1 waits for 1.0 to have run
			var once sync.Once
			first := make(chan struct{})
			ex.fail = func(spec *task.Spec) error {
				if spec.Stage == 1 && spec.Partition == 0 && spec.Attempt == 0 {
					close(first) // 1.0 finishes on the old output
				}
				if spec.Stage == 1 && spec.Partition == 1 {
					<-first
					var err error
					once.Do(func() { err = task.FetchFailure(0, 1, errors.New("no such object")) })
					return err
				}
				return nil
			}
			var saw [][]task.MapOutput
			var mu sync.Mutex
			inner := ex.fail
			ex.fail = func(spec *task.Spec) error {
				if spec.Stage == 1 {
					mu.Lock()
					saw = append(saw, spec.Inputs[0])
					mu.Unlock()
				}
				return inner(spec)
			}
			if _, err := Run(context.Background(), tc.g, Config{Executor: ex, Adaptive: adaptive.Config{Disabled: true}}); err != nil {
				t.Fatal(err)
			}
			if got := ex.attempts(1, 0); got != tc.reruns0 {
				t.Fatalf("reduce task 1.0 ran %d times, want %d: %v", got, tc.reruns0, ex.runs)
			}
			if ex.attempts(0, 1) != 2 || ex.attempts(0, 0) != 1 {
				t.Fatalf("map tasks: %v", ex.runs)
			}
			if tc.reruns0 == 2 {
				last := saw[len(saw)-1]
				if last[1].URL != "mem://0.1.1" {
					t.Fatalf("the rerun read %+v, not the recomputed output", last)
				}
			}
		})
	}
}
