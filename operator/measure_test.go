package operator

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/types"
)

// Build counts each operator's output rows, in the pre-order of
// physical.Format, so the UI can put them beside the plan's lines.
func TestBuildMeasuresOperators(t *testing.T) {
	v, err := logical.NewValues([][]*expr.Expr{
		{expr.Lit(types.Int64Value(1))}, {expr.Lit(types.Int64Value(2))}, {expr.Lit(types.Int64Value(3))},
	}, []string{"n"}, "")
	if err != nil {
		t.Fatal(err)
	}
	values := &physical.Node{Op: physical.OpValues, Schema: v.Schema(), Values: &physical.ValuesSpec{Rows: v.Rows}}
	root := &physical.Node{Op: physical.OpLimit, Schema: v.Schema(), Limit: 2, Inputs: []*physical.Node{values}}
	env := &Env{}
	r, err := Build(context.Background(), roundTrip(t, root), env)
	if err != nil {
		t.Fatal(err)
	}
	if got := rows(t, r); len(got) != 2 {
		t.Fatalf("limit 2 gave %v", got)
	}
	ops := env.Operators()
	if len(ops) != 2 || ops[0].Rows != 2 || ops[1].Rows != 3 {
		t.Fatalf("operators = %+v, want limit 2 rows, values 3 rows", ops)
	}
	if ops[0].Time < ops[1].Time {
		t.Errorf("limit's time %v excludes its input's %v", ops[0].Time, ops[1].Time)
	}
}

// A cancelled task's operators stop at their next batch, with the cause.
func TestBuiltOperatorsStopWhenCancelled(t *testing.T) {
	v, err := logical.NewValues([][]*expr.Expr{{expr.Lit(types.Int64Value(1))}}, []string{"n"}, "")
	if err != nil {
		t.Fatal(err)
	}
	values := &physical.Node{Op: physical.OpValues, Schema: v.Schema(), Values: &physical.ValuesSpec{Rows: v.Rows}}
	ctx, cancel := context.WithCancelCause(context.Background())
	r, err := Build(ctx, values, &Env{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cause := errors.New("a faster copy won")
	cancel(cause)
	if rec, err := r.Next(ctx); !errors.Is(err, cause) || rec != nil {
		t.Fatalf("Next after cancel = %v, %v; want the cancellation's cause", rec, err)
	}
}

// Build counts each operator's spilled bytes apart: under a tiny pool a
// sort spills its runs and says so; the operators around it spill nothing,
// and the task's total is their sum.
func TestBuildMeasuresSpillsPerOperator(t *testing.T) {
	var rowsIn [][]*expr.Expr
	for i := range 6000 {
		rowsIn = append(rowsIn, []*expr.Expr{expr.Lit(types.Int64Value(int64(i * 7919 % 6000))), expr.Lit(types.StringValue(fmt.Sprintf("%0100d", i)))})
	}
	v, err := logical.NewValues(rowsIn, []string{"n", "pad"}, "")
	if err != nil {
		t.Fatal(err)
	}
	values := &physical.Node{Op: physical.OpValues, Schema: v.Schema(), Values: &physical.ValuesSpec{Rows: v.Rows}}
	key, err := expr.Bind(expr.Col("", "n"), v.Schema(), nil)
	if err != nil {
		t.Fatal(err)
	}
	sorted := &physical.Node{Op: physical.OpSort, Schema: v.Schema(), Sort: &physical.SortSpec{Keys: []logical.SortKey{{Expr: key}}}, Inputs: []*physical.Node{values}}
	root := &physical.Node{Op: physical.OpLimit, Schema: v.Schema(), Limit: 10, Inputs: []*physical.Node{sorted}}
	env := &Env{Pool: memory.NewPool(64 << 10), TempDir: t.TempDir(), BatchRows: 500}
	r, err := Build(context.Background(), roundTrip(t, root), env)
	if err != nil {
		t.Fatal(err)
	}
	if got := rows(t, r); len(got) != 10 {
		t.Fatalf("limit 10 gave %d rows", len(got))
	}
	ops := env.Operators()
	if len(ops) != 3 || ops[1].Spilled == 0 || ops[0].Spilled != 0 || ops[2].Spilled != 0 {
		t.Fatalf("operators = %+v, want only the sort (second) to have spilled", ops)
	}
	if ops[1].Spilled != env.Spilled.Load() {
		t.Fatalf("the sort spilled %d bytes, the task %d", ops[1].Spilled, env.Spilled.Load())
	}
}
