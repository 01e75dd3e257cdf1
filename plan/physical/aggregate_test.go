package physical

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

func aggPlan(t *testing.T, aggs ...logical.AggExpr) *Node {
	t.Helper()
	table := types.NewSchema(types.Field{Name: "k", Type: types.Int64Type}, types.Field{Name: "v", Type: types.Float64Type})
	scan := &logical.Scan{Source: "s", Table: table}
	a := &logical.Aggregate{Input: scan, GroupBy: []*expr.Expr{expr.BoundCol(0, table.Fields[0])}, GroupNames: []string{"k"}, Aggs: aggs}
	p := &planner{ctx: context.Background(), cfg: Config{Partitions: 4, Splitter: func(context.Context, *logical.Scan) ([]format.Split, error) {
		return make([]format.Split, 2), nil
	}}}
	n, err := p.aggregate(a)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func agg(t *testing.T, f expr.AggFunc, args ...*expr.Expr) logical.AggExpr {
	t.Helper()
	table := types.NewSchema(types.Field{Name: "k", Type: types.Int64Type}, types.Field{Name: "v", Type: types.Float64Type})
	arg, extra, typ, err := expr.BindAggCall(f, args, table, nil)
	if err != nil {
		t.Fatal(err)
	}
	return logical.AggExpr{Func: f, Arg: arg, Extra: extra, Name: f.String(), Type: typ}
}

// TestHolisticAggregatesRunOnce: exact quantiles have no partial state, so
// the plan shuffles raw rows and aggregates in Complete mode, like
// DISTINCT; mergeable ones keep the two phases.
func TestHolisticAggregatesRunOnce(t *testing.T) {
	v := expr.Col("", "v")
	half := expr.Lit(types.Float64Value(0.5))
	for _, c := range []struct {
		a    logical.AggExpr
		mode AggMode
	}{
		{agg(t, expr.AggMedian, v), AggComplete},
		{agg(t, expr.AggQuantileCont, v, half), AggComplete},
		{agg(t, expr.AggQuantileDisc, v, half), AggComplete},
		{agg(t, expr.AggApproxQuantile, v, half), AggFinal},
		{agg(t, expr.AggCorr, v, v), AggFinal},
		{agg(t, expr.AggSingleValue, v), AggFinal},
	} {
		n := aggPlan(t, c.a)
		if n.Agg.Mode != c.mode {
			t.Errorf("%s: top mode %v, want %v", c.a, n.Agg.Mode, c.mode)
		}
		if c.mode == AggFinal {
			partial := n.Inputs[0].Inputs[0]
			if got, want := partial.Schema.Len(), 1+len(StateTypes(c.a)); got != want {
				t.Errorf("%s: partial schema has %d columns, want %d", c.a, got, want)
			}
		}
	}
}

// TestAggSpecWithExtraRoundTripsJSON: the second argument and the literal
// fraction travel to executors with the spec.
func TestAggSpecWithExtraRoundTripsJSON(t *testing.T) {
	v := expr.Col("", "v")
	spec := &AggSpec{Mode: AggPartial, Aggs: []logical.AggExpr{
		agg(t, expr.AggCovarSamp, v, v), agg(t, expr.AggApproxQuantile, v, expr.Lit(types.Float64Value(0.9))),
	}}
	b, err := json.Marshal(spec)
	if err != nil {
		t.Fatal(err)
	}
	var back AggSpec
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	for i, a := range spec.Aggs {
		if back.Aggs[i].String() != a.String() || back.Aggs[i].Func != a.Func || back.Aggs[i].Type != a.Type {
			t.Errorf("round trip: %s became %s", a, back.Aggs[i])
		}
	}
	if back.Aggs[1].Extra[0].Value.F != 0.9 {
		t.Errorf("fraction lost: %v", back.Aggs[1].Extra[0])
	}
}
