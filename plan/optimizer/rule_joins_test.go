package optimizer

import (
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
)

func TestFactorOr(t *testing.T) {
	a, b := scan("a", 0, "x:int64", "y:int64?"), scan("b", 0, "x:int64", "z:int64")
	j := crossJoinAll(a, b)
	key := eq(col(j, "a.x"), col(j, "b.x"))
	tests := []struct {
		name string
		cond *expr.Expr
		want string
	}{
		{"shared conjunct moves out", or(and(key, gt(col(j, "y"), lit(1))), and(gt(col(j, "z"), lit(2)), key)),
			"Filter ((a.x#0 = b.x#2) AND ((a.y#1 > 1) OR (b.z#3 > 2)))"},
		{"absorption", or(and(key, gt(col(j, "y"), lit(1))), key), "Filter (a.x#0 = b.x#2)"},
		{"nothing shared", or(gt(col(j, "y"), lit(1)), key), "Filter ((a.y#1 > 1) OR (a.x#0 = b.x#2))"},
		{"nested under AND", and(gt(col(j, "z"), lit(0)), or(and(key, lit(true)), and(key, gt(col(j, "y"), lit(1))))),
			"Filter ((b.z#3 > 0) AND ((a.x#0 = b.x#2) AND (true OR (a.y#1 > 1))))"},
		{"plugin calls stay", or(and(gt(twice(col(j, "z")), lit(1)), key), and(gt(twice(col(j, "z")), lit(1)), lit(false))),
			"Filter (((test.twice(b.z#3) > 1) AND (a.x#0 = b.x#2)) OR ((test.twice(b.z#3) > 1) AND false))"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := applyOne(t, FactorOr, filter(j, tt.cond), Config{})
			if got := out.Describe(); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestOuterToInner(t *testing.T) {
	a, b := scan("a", 0, "x:int64", "y:int64?"), scan("b", 0, "x:int64", "z:int64?")
	tests := []struct {
		name string
		typ  logical.JoinType
		cond func(j logical.Node) *expr.Expr
		want string
	}{
		{"comparison on the right of a left join", logical.LeftJoin, func(j logical.Node) *expr.Expr { return gt(col(j, "z"), lit(1)) }, "inner"},
		{"IS NULL keeps the left join", logical.LeftJoin, func(j logical.Node) *expr.Expr { return isNull(col(j, "z")) }, "left"},
		{"NOT IS NULL converts", logical.LeftJoin, func(j logical.Node) *expr.Expr { return not(isNull(col(j, "z"))) }, "left"},
		{"OR of rejecting branches", logical.LeftJoin, func(j logical.Node) *expr.Expr {
			return or(gt(col(j, "z"), lit(1)), lt(add(col(j, "z"), lit(1)), lit(0)))
		}, "inner"},
		{"OR with a branch on the left keeps it", logical.LeftJoin, func(j logical.Node) *expr.Expr {
			return or(gt(col(j, "z"), lit(1)), gt(col(j, "y"), lit(0)))
		}, "left"},
		{"left side of a left join changes nothing", logical.LeftJoin, func(j logical.Node) *expr.Expr { return gt(col(j, "y"), lit(1)) }, "left"},
		{"right join, left column", logical.RightJoin, func(j logical.Node) *expr.Expr { return gt(col(j, "y"), lit(1)) }, "inner"},
		{"full join, left column", logical.FullJoin, func(j logical.Node) *expr.Expr { return gt(col(j, "y"), lit(1)) }, "left"},
		{"full join, right column", logical.FullJoin, func(j logical.Node) *expr.Expr { return gt(col(j, "z"), lit(1)) }, "right"},
		{"full join, both", logical.FullJoin, func(j logical.Node) *expr.Expr {
			return and(gt(col(j, "z"), lit(1)), eq(col(j, "y"), lit(2)))
		}, "inner"},
		{"CASE is not strict", logical.LeftJoin, func(j logical.Node) *expr.Expr {
			return gt(call(expr.FnCase, col(j, "z").Type, gt(col(j, "y"), lit(0)), col(j, "z"), lit(1)), lit(0))
		}, "left"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := join(tt.typ, a, b, "x", "x")
			out := applyOne(t, OuterToInner, filter(j, tt.cond(j)), Config{})
			var got logical.JoinType = 255
			logical.Transform(out, func(n logical.Node) (logical.Node, error) {
				if j, ok := n.(*logical.Join); ok {
					got = j.Type
				}
				return n, nil
			})
			if got.String() != tt.want {
				t.Errorf("join type %s, want %s\n%s", got, tt.want, logical.Format(out))
			}
		})
	}
}

func TestJoinKeys(t *testing.T) {
	a, b := scan("a", 0, "x:int64", "y:int64?", "s:string"), scan("b", 0, "x:int64", "z:int64?", "s:string")
	both := a.Schema().Concat(b.Schema())
	c := func(ref string) *expr.Expr { return colIn(both, ref) }
	j := &logical.Join{Left: a, Right: b, Type: logical.LeftJoin, Filter: and(
		eq(c("b.x"), c("a.x")), eq(add(c("a.y"), lit(1)), c("z")), lt(c("a.y"), c("z")), eq(c("a.s"), lit("k")),
		eq(twice(c("a.x")), c("b.x")), eq(c("a.x"), add(c("a.y"), lit(1))))}
	checkFormat(t, applyOne(t, JoinKeys, j, Config{}), `
		Join left auto on [a.x#0, (a.y#1 + 1)] = [b.x#0, b.z#1] filter ((((a.y#1 < b.z#4) AND (a.s#2 = "k")) AND (test.twice(a.x#0) = b.x#3)) AND (a.x#0 = (a.y#1 + 1)))
		  Scan a [parquet data/a] columns=[x, y, s]
		  Scan b [parquet data/b] columns=[x, z, s]`)
}

func TestReorderJoins(t *testing.T) {
	big := scan("big", 1<<30, "id:int64", "d1:int64", "d2:int64")
	d1 := scan("d1", 1<<20, "k:int64", "v:int64")
	d2 := scan("d2", 2<<20, "k:int64", "w:int64")
	other := scan("other", 4<<20, "k:int64")
	t.Run("no cross product while a connected input remains", func(t *testing.T) {
		// FROM d1, d2, big WHERE big.d1 = d1.k AND big.d2 = d2.k
		j := crossJoinAll(d1, d2, big)
		j = pushDown(filter(j, and(eq(col(j, "big.d1"), col(j, "d1.k")), eq(col(j, "big.d2"), col(j, "d2.k")))), nil)
		checkFormat(t, applyOne(t, ReorderJoins, j, Config{}), `
			Project d1.k#3 AS k, d1.v#4 AS v, d2.k#5 AS k, d2.w#6 AS w, big.id#0 AS id, big.d1#1 AS d1, big.d2#2 AS d2
			  Join inner auto filter (big.d2#2 = d2.k#5)
			    Join inner auto filter (big.d1#1 = d1.k#3)
			      Scan big [parquet data/big] columns=[id, d1, d2]
			      Scan d1 [parquet data/d1] columns=[k, v]
			    Scan d2 [parquet data/d2] columns=[k, w]`)
	})
	t.Run("unconnected input comes last", func(t *testing.T) {
		j := crossJoinAll(other, d1, big)
		j = pushDown(filter(j, eq(col(j, "big.d1"), col(j, "d1.k"))), nil)
		checkFormat(t, applyOne(t, ReorderJoins, j, Config{}), `
			Project other.k#5 AS k, d1.k#3 AS k, d1.v#4 AS v, big.id#0 AS id, big.d1#1 AS d1, big.d2#2 AS d2
			  Join cross auto
			    Join inner auto filter (big.d1#1 = d1.k#3)
			      Scan big [parquet data/big] columns=[id, d1, d2]
			      Scan d1 [parquet data/d1] columns=[k, v]
			    Scan other [parquet data/other] columns=[k]`)
	})
	t.Run("already in order stays", func(t *testing.T) {
		j := join(logical.InnerJoin, big, d1, "d1", "k")
		j2 := &logical.Join{Left: j, Right: d2, Type: logical.InnerJoin,
			LeftKeys: []*expr.Expr{col(j, "d2")}, RightKeys: []*expr.Expr{col(d2, "k")}}
		out := applyOne(t, ReorderJoins, j2, Config{})
		if logical.Format(out) != logical.Format(j2) {
			t.Errorf("reordered an ordered cluster:\n%s", logical.Format(out))
		}
	})
	t.Run("hinted joins are left alone", func(t *testing.T) {
		j := crossJoinAll(d1, d2, big).(*logical.Join)
		j.Strategy = logical.StrategyBroadcast
		out := applyOne(t, ReorderJoins, j, Config{})
		if logical.Format(out) != logical.Format(j) {
			t.Errorf("reordered a hinted join:\n%s", logical.Format(out))
		}
	})
}

func TestOrSideFilters(t *testing.T) {
	a, b := scan("a", 0, "x:int64", "y:int64?"), scan("b", 0, "x:int64", "z:int64?")
	both := a.Schema().Concat(b.Schema())
	c := func(ref string) *expr.Expr { return colIn(both, ref) }
	j := join(logical.InnerJoin, a, b, "x", "x")
	j.Filter = or(and(gt(c("y"), lit(1)), lt(c("z"), lit(5))), and(eq(c("y"), lit(0)), lt(c("a.x"), c("z"))))
	checkFormat(t, applyOne(t, OrSideFilters, j, Config{}), `
		Join inner auto on [a.x#0] = [b.x#0] filter (((a.y#1 > 1) AND (b.z#3 < 5)) OR ((a.y#1 = 0) AND (a.x#0 < b.z#3)))
		  Scan a [parquet data/a] columns=[x, y] filters=[((a.y#1 > 1) OR (a.y#1 = 0))]
		  Scan b [parquet data/b] columns=[x, z]`)
}
