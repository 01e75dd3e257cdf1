package optimizer

import (
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

func TestPushPredicatesSingleInput(t *testing.T) {
	s := scan("t", 100, "a:int64", "b:int64", "s:string")
	narrow := scan("t", 100, "a:int64", "b:int64", "s:string")
	narrow.Projection = []int{2, 1}
	p := project(s, "x", add(col(s, "a"), col(s, "b")), "s", col(s, "s"))
	pp := project(s, "y", twice(col(s, "a")), "b", col(s, "b"))
	agg := groupBy(s, []string{"a"}, aggr(expr.AggSum, col(s, "b"), "total"))
	global := groupBy(s, nil, aggr(expr.AggCountStar, nil, "n"))
	tests := []struct {
		name string
		in   logical.Node
		want string
	}{
		{"into scan, filter gone", filter(s, and(gt(col(s, "a"), lit(1)), lt(col(s, "b"), lit(5)))), `
			Scan t [parquet data/t] columns=[a, b, s] filters=[(t.a#0 > 1), (t.b#1 < 5)]`},
		{"scan projection remapped to table", filter(narrow, eq(col(narrow, "b"), lit(3))), `
			Scan t [parquet data/t] columns=[s, b] filters=[(t.b#1 = 3)]`},
		{"plugin stays above scan", filter(s, and(gt(twice(col(s, "a")), lit(1)), eq(col(s, "s"), lit("x")))), `
			Filter (test.twice(t.a#0) > 1)
			  Scan t [parquet data/t] columns=[a, b, s] filters=[(t.s#2 = "x")]`},
		{"through project by substitution", filter(p, gt(col(p, "x"), lit(10))), `
			Project (t.a#0 + t.b#1) AS x, t.s#2 AS s
			  Scan t [parquet data/t] columns=[a, b, s] filters=[((t.a#0 + t.b#1) > 10)]`},
		{"not through a plugin projection", filter(pp, and(gt(col(pp, "y"), lit(1)), gt(col(pp, "b"), lit(2)))), `
			Filter (y#0 > 1)
			  Project test.twice(t.a#0) AS y, t.b#1 AS b
			    Scan t [parquet data/t] columns=[a, b, s] filters=[(t.b#1 > 2)]`},
		{"not through limit", filter(&logical.Limit{Input: filter(s, gt(col(s, "a"), lit(0))), N: 5}, gt(col(s, "b"), lit(1))), `
			Filter (t.b#1 > 1)
			  Limit 5
			    Scan t [parquet data/t] columns=[a, b, s] filters=[(t.a#0 > 0)]`},
		{"through sort, distinct, alias", filter(&logical.Sort{Input: &logical.Distinct{Input: &logical.Alias{Input: s, Name: "v"}},
			Keys: []logical.SortKey{{Expr: col(s, "a")}}}, gt(colIn(s.Schema().WithQualifier("v"), "v.a"), lit(1))), `
			Sort t.a#0
			  Distinct
			    Alias v
			      Scan t [parquet data/t] columns=[a, b, s] filters=[(t.a#0 > 1)]`},
		{"aggregate: group conjunct down, aggregate conjunct stays", filter(agg, and(gt(col(agg, "a"), lit(1)), gt(col(agg, "total"), lit(100)))), `
			Filter (total#1 > 100)
			  Aggregate group=[t.a#0] aggs=[sum(t.b#1) AS total]
			    Scan t [parquet data/t] columns=[a, b, s] filters=[(t.a#0 > 1)]`},
		{"global aggregate keeps constant filter", filter(global, eq(lit(types.NullValue(types.BoolType)), lit(true))), `
			Filter (NULL = true)
			  Aggregate group=[] aggs=[count(*) AS n]
			    Scan t [parquet data/t] columns=[a, b, s]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := applyOne(t, PushPredicates, tt.in, Config{})
			checkFormat(t, out, tt.want)
		})
	}
}

func TestPushPredicatesUnion(t *testing.T) {
	a := scan("a", 100, "x:int64", "y:string")
	b := scan("b", 100, "p:int64", "q:string")
	bp := project(b, "p2", add(col(b, "p"), lit(1)), "q", col(b, "q"))
	u := &logical.Union{Inputs: []logical.Node{a, bp}}
	out := applyOne(t, PushPredicates, filter(u, gt(col(u, "x"), lit(5))), Config{})
	checkFormat(t, out, `
		Union all (2 inputs)
		  Scan a [parquet data/a] columns=[x, y] filters=[(a.x#0 > 5)]
		  Project (b.p#0 + 1) AS p2, b.q#1 AS q
		    Scan b [parquet data/b] columns=[p, q] filters=[((b.p#0 + 1) > 5)]
	`)
}

func TestPushPredicatesJoin(t *testing.T) {
	l := scan("l", 100, "id:int64", "a:int64")
	r := scan("r", 100, "id:int64", "b:int64")
	mk := func(jt logical.JoinType, on *expr.Expr) *logical.Join {
		j := join(jt, l, r, "id", "id")
		j.Filter = on
		return j
	}
	whereAll := func(j *logical.Join) logical.Node {
		if j.Type == logical.SemiJoin || j.Type == logical.AntiJoin {
			return filter(j, gt(col(j, "a"), lit(1)))
		}
		return filter(j, and(gt(col(j, "a"), lit(1)), gt(col(j, "b"), lit(2)), gt(col(j, "a"), col(j, "b"))))
	}
	onAll := and(lt(joinCol(l, r, "a"), lit(10)), lt(joinCol(l, r, "b"), lit(20)), lt(joinCol(l, r, "a"), joinCol(l, r, "b")))
	tests := []struct {
		name string
		in   logical.Node
		want string
	}{
		{"inner where", whereAll(mk(logical.InnerJoin, nil)), `
			Join inner auto on [l.id#0] = [r.id#0] filter (l.a#1 > r.b#3)
			  Scan l [parquet data/l] columns=[id, a] filters=[(l.a#1 > 1)]
			  Scan r [parquet data/r] columns=[id, b] filters=[(r.b#1 > 2)]`},
		{"inner on", mk(logical.InnerJoin, onAll), `
			Join inner auto on [l.id#0] = [r.id#0] filter (l.a#1 < r.b#3)
			  Scan l [parquet data/l] columns=[id, a] filters=[(l.a#1 < 10)]
			  Scan r [parquet data/r] columns=[id, b] filters=[(r.b#1 < 20)]`},
		{"left where", whereAll(mk(logical.LeftJoin, nil)), `
			Filter ((r.b#3 > 2) AND (l.a#1 > r.b#3))
			  Join left auto on [l.id#0] = [r.id#0]
			    Scan l [parquet data/l] columns=[id, a] filters=[(l.a#1 > 1)]
			    Scan r [parquet data/r] columns=[id, b]`},
		{"left on", mk(logical.LeftJoin, onAll), `
			Join left auto on [l.id#0] = [r.id#0] filter ((l.a#1 < 10) AND (l.a#1 < r.b#3))
			  Scan l [parquet data/l] columns=[id, a]
			  Scan r [parquet data/r] columns=[id, b] filters=[(r.b#1 < 20)]`},
		{"semi on and where", whereAll(mk(logical.SemiJoin, onAll)), `
			Join semi auto on [l.id#0] = [r.id#0] filter (l.a#1 < r.b#3)
			  Scan l [parquet data/l] columns=[id, a] filters=[(l.a#1 > 1), (l.a#1 < 10)]
			  Scan r [parquet data/r] columns=[id, b] filters=[(r.b#1 < 20)]`},
		{"anti on and where", whereAll(mk(logical.AntiJoin, onAll)), `
			Join anti auto on [l.id#0] = [r.id#0] filter ((l.a#1 < 10) AND (l.a#1 < r.b#3))
			  Scan l [parquet data/l] columns=[id, a] filters=[(l.a#1 > 1)]
			  Scan r [parquet data/r] columns=[id, b] filters=[(r.b#1 < 20)]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := applyOne(t, PushPredicates, tt.in, Config{})
			checkFormat(t, out, tt.want)
		})
	}
}

func TestPushPredicatesInfersAcrossKeys(t *testing.T) {
	l := scan("l", 100, "id:int64", "a:int64")
	r := scan("r", 100, "rid:int64", "b:int64")
	lim := &logical.Limit{Input: l, N: 10}
	tests := []struct {
		name string
		jt   logical.JoinType
		left logical.Node
		pred func(j *logical.Join) *expr.Expr
		want string
	}{
		{"inner, left key", logical.InnerJoin, l, func(j *logical.Join) *expr.Expr { return gt(col(j, "id"), lit(5)) }, `
			Join inner auto on [l.id#0] = [r.rid#0]
			  Scan l [parquet data/l] columns=[id, a] filters=[(l.id#0 > 5)]
			  Scan r [parquet data/r] columns=[rid, b] filters=[(r.rid#0 > 5)]`},
		{"inner, right key into a limit", logical.InnerJoin, lim, func(j *logical.Join) *expr.Expr { return eq(col(j, "rid"), lit(5)) }, `
			Join inner auto on [l.id#0] = [r.rid#0]
			  Filter (l.id#0 = 5)
			    Limit 10
			      Scan l [parquet data/l] columns=[id, a]
			  Scan r [parquet data/r] columns=[rid, b] filters=[(r.rid#0 = 5)]`},
		{"left join, right key stays", logical.LeftJoin, l, func(j *logical.Join) *expr.Expr { return eq(col(j, "rid"), lit(5)) }, `
			Filter (r.rid#2 = 5)
			  Join left auto on [l.id#0] = [r.rid#0]
			    Scan l [parquet data/l] columns=[id, a]
			    Scan r [parquet data/r] columns=[rid, b]`},
		{"anti join, left key copied right", logical.AntiJoin, l, func(j *logical.Join) *expr.Expr { return isNull(col(j, "id")) }, `
			Join anti auto on [l.id#0] = [r.rid#0]
			  Scan l [parquet data/l] columns=[id, a] filters=[is_null(l.id#0)]
			  Scan r [parquet data/r] columns=[rid, b] filters=[is_null(r.rid#0)]`},
		{"plugin not copied", logical.InnerJoin, l, func(j *logical.Join) *expr.Expr { return gt(twice(col(j, "id")), lit(5)) }, `
			Join inner auto on [l.id#0] = [r.rid#0]
			  Filter (test.twice(l.id#0) > 5)
			    Scan l [parquet data/l] columns=[id, a]
			  Scan r [parquet data/r] columns=[rid, b]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := join(tt.jt, tt.left, r, "id", "rid")
			checkFormat(t, applyOne(t, PushPredicates, filter(j, tt.pred(j)), Config{}), tt.want)
		})
	}
}
