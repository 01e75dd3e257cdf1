package physical

import (
	"context"
	"strings"
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

func values(t *testing.T, vals ...int64) *logical.Values {
	t.Helper()
	var rows [][]*expr.Expr
	for _, v := range vals {
		rows = append(rows, []*expr.Expr{expr.Lit(types.Int64Value(v))})
	}
	n, err := logical.NewValues(rows, []string{"x"}, "")
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPlanSetOpWithoutOptimizer: a SetOp that reaches the planner
// unlowered is lowered there, into the same aggregate-and-replicate plan.
func TestPlanSetOpWithoutOptimizer(t *testing.T) {
	s, err := logical.NewSetOp(logical.Except, true, values(t, 1, 1, 2), values(t, 1))
	if err != nil {
		t.Fatal(err)
	}
	lp := &logical.Plan{Sinks: []*logical.Write{{Input: s, Sink: "out", Format: "parquet", Path: "out"}}}
	phys, err := Plan(context.Background(), lp, Config{Partitions: 3})
	if err != nil {
		t.Fatal(err)
	}
	got := Format(phys[0])
	for _, want := range []string{"Replicate × (__setop_left#1 - __setop_right#2)", "Filter (__setop_left#1 > __setop_right#2)",
		"HashAgg final", "Exchange hash [g0#0] partitions=3", "Values rows=3 columns=[x]"} {
		if !strings.Contains(got, want) {
			t.Errorf("plan lacks %q:\n%s", want, got)
		}
	}
}

// TestPlanLimitOffset: the per-partition limit keeps Offset+N rows; the
// final one after the single exchange skips the offset.
func TestPlanLimitOffset(t *testing.T) {
	v := values(t, 3, 1, 2)
	sorted := &logical.Sort{Input: v, Keys: []logical.SortKey{{Expr: expr.BoundCol(0, v.Schema().Fields[0])}}}
	for _, tc := range []struct {
		l    *logical.Limit
		want string
	}{
		{logical.NewLimit(v, 2, 5), "Limit 2 offset 5\n  Exchange single\n    Limit 7\n      Values"},
		{logical.NewLimit(v, -1, 5), "Offset 5\n  Exchange single\n    Values"},
		{logical.NewLimit(sorted, 2, 1), "TopN 2 offset 1 by x#0\n  Exchange single\n    TopN 3 by x#0\n      Values"},
		{logical.NewLimit(sorted, -1, 1), "Offset 1\n  Exchange single\n    Sort x#0\n      Exchange range [x#0] partitions=2\n        Values"},
	} {
		lp := &logical.Plan{Sinks: []*logical.Write{{Input: tc.l, Sink: "out", Format: "parquet", Path: "out"}}}
		phys, err := Plan(context.Background(), lp, Config{Partitions: 2})
		if err != nil {
			t.Fatal(err)
		}
		if got := Format(phys[0].Inputs[0]); !strings.HasPrefix(got, tc.want) {
			t.Errorf("%s:\ngot\n%s\nwant prefix\n%s", tc.l.Describe(), got, tc.want)
		}
	}
}
