package operator

import (
	"context"
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/types"
)

// joinRows joins left (k, a) with right (k, b) on k = k; residual filter
// optional (bound over left ++ right).
func joinRows(t *testing.T, typ logical.JoinType, filter func(*types.Schema) *expr.Expr) []string {
	t.Helper()
	ls, rs := int64Schema("k", "a"), int64Schema("k", "b")
	left := int64Batch(ls, []*int64{p(1), p(2), p(2), nil, p(4)}, ints(10, 20, 21, 30, 40))
	right := int64Batch(rs, []*int64{p(2), p(2), p(1), nil, p(5)}, ints(200, 201, 100, 300, 500))
	joined := ls.Concat(rs)
	out := joined
	if typ == logical.SemiJoin || typ == logical.AntiJoin {
		out = ls
	}
	spec := &physical.JoinSpec{Type: typ, LeftKeys: []*expr.Expr{expr.BoundCol(0, ls.Fields[0])}, RightKeys: []*expr.Expr{expr.BoundCol(0, rs.Fields[0])}}
	if filter != nil {
		spec.Filter = filter(joined)
	}
	n := &physical.Node{Op: physical.OpHashJoin, Schema: out, Join: spec}
	j := &hashJoin{probe: source(ls, left), buildIn: source(rs, right), spec: spec, schema: out.Arrow()}
	if err := j.compile(&Env{}); err != nil {
		t.Fatal(err)
	}
	_ = n
	return sorted(rows(t, j))
}

func TestHashJoinTypes(t *testing.T) {
	mustEqual(t, joinRows(t, logical.InnerJoin, nil), []string{"1,10,1,100", "2,20,2,200", "2,20,2,201", "2,21,2,200", "2,21,2,201"})
	mustEqual(t, joinRows(t, logical.LeftJoin, nil), []string{"1,10,1,100", "2,20,2,200", "2,20,2,201", "2,21,2,200", "2,21,2,201", "4,40,NULL,NULL", "NULL,30,NULL,NULL"})
	mustEqual(t, joinRows(t, logical.SemiJoin, nil), []string{"1,10", "2,20", "2,21"})
	mustEqual(t, joinRows(t, logical.AntiJoin, nil), []string{"4,40", "NULL,30"})
}

func TestHashJoinResidualFilter(t *testing.T) {
	// ON l.k = r.k AND r.b > 200
	f := func(s *types.Schema) *expr.Expr {
		c := expr.Call(expr.FnGt, expr.BoundCol(3, s.Fields[3]), expr.Lit(types.Int64Value(200)))
		c.Type, c.Nullable = types.BoolType, true
		return c
	}
	mustEqual(t, joinRows(t, logical.InnerJoin, f), []string{"2,20,2,201", "2,21,2,201"})
	// Left join: rows whose matches all fail the filter come back NULL-extended.
	mustEqual(t, joinRows(t, logical.LeftJoin, f), []string{"1,10,NULL,NULL", "2,20,2,201", "2,21,2,201", "4,40,NULL,NULL", "NULL,30,NULL,NULL"})
	mustEqual(t, joinRows(t, logical.AntiJoin, f), []string{"1,10", "4,40", "NULL,30"})
}

var _ = context.Background
