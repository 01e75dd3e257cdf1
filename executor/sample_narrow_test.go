package executor

import (
	"slices"
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/task"
	"github.com/drover-etl/drover/types"
)

func TestNarrowForSample(t *testing.T) {
	table := types.NewSchema(
		types.Field{Qualifier: "o", Name: "id", Type: types.Int64Type},
		types.Field{Qualifier: "o", Name: "cust", Type: types.Int64Type},
		types.Field{Qualifier: "o", Name: "comment", Type: types.StringType},
		types.Field{Qualifier: "o", Name: "day", Type: types.DateType},
	)
	// The scan produces day, cust, comment (table ordinals 3, 1, 2) and
	// filters on id (0) — which it must therefore also produce.
	cols := []int{3, 1, 2, 0}
	out := table.Project(cols)
	filter := expr.Call(expr.FnGt, expr.BoundCol(0, table.Fields[0]), expr.Lit(types.Int64Value(0)))
	frag := &physical.Node{Op: physical.OpScan, Schema: out,
		Scan: &physical.ScanSpec{Table: table, Columns: cols, Filters: []*expr.Expr{filter}}}
	keys := []logical.SortKey{{Expr: expr.BoundCol(1, out.Fields[1])}, {Expr: expr.BoundCol(0, out.Fields[0]), Desc: true}}
	spec := &task.Spec{Fragment: frag, Sample: true, Output: &physical.ExchangeSpec{SortKeys: keys}}

	n, got := sampleFragment(spec)
	if want := []int{3, 1, 0}; !slices.Equal(n.Scan.Columns, want) {
		t.Fatalf("columns %v, want %v (comment dropped)", n.Scan.Columns, want)
	}
	if names := n.Schema.Names(); !slices.Equal(names, []string{"day", "cust", "id"}) {
		t.Fatalf("schema %v", names)
	}
	if got[0].Expr.Index != 1 || got[1].Expr.Index != 0 || !got[1].Desc {
		t.Fatalf("keys rebound to %d, %d", got[0].Expr.Index, got[1].Expr.Index)
	}
	if frag.Scan.Columns[2] != 2 || keys[0].Expr.Index != 1 {
		t.Fatal("the original fragment or keys were modified")
	}

	spec.Sample = false
	if n, _ := sampleFragment(spec); n != frag {
		t.Fatal("a map task must run its fragment unchanged")
	}
}
