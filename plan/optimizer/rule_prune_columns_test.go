package optimizer

import (
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
)

func TestPruneColumns(t *testing.T) {
	s := scan("t", 100, "a:int64", "b:int64", "s:string", "c:int32")
	filtered := scan("t", 100, "a:int64", "b:int64", "s:string", "c:int32")
	filtered.Filters = []*expr.Expr{gt(col(s, "c"), lit(1))}
	pf := filter(s, gt(twice(col(s, "b")), lit(1)))
	agg := groupBy(s, []string{"s"}, aggr(expr.AggSum, col(s, "a"), "sa"), aggr(expr.AggMax, col(s, "b"), "mb"))
	sorted := &logical.Sort{Input: s, Keys: []logical.SortKey{{Expr: col(s, "c"), Desc: true}}}
	tests := []struct {
		name string
		in   logical.Node
		want string
	}{
		{"scan reads projected columns only", project(s, "y", add(col(s, "b"), lit(1))), `
			Project (t.b#0 + 1) AS y
			  Scan t [parquet data/t] columns=[b]`},
		{"scan produces its filter columns", project(filtered, "a", col(filtered, "a")), `
			Project t.a#0 AS a
			  Scan t [parquet data/t] columns=[a, c] filters=[(t.c#3 > 1)]`},
		{"filter columns narrowed before a sort", project(&logical.Sort{Input: filtered, Keys: []logical.SortKey{{Expr: col(filtered, "b")}}}, "a", col(filtered, "a")), `
			Project t.a#0 AS a
			  Sort t.b#1
			    Project t.a#0 AS a, t.b#1 AS b
			      Scan t [parquet data/t] columns=[a, b, c] filters=[(t.c#3 > 1)]`},
		{"filter node keeps its columns", project(pf, "s", col(pf, "s")), `
			Project t.s#1 AS s
			  Filter (test.twice(t.b#0) > 1)
			    Scan t [parquet data/t] columns=[b, s]`},
		{"count star keeps the narrowest column", groupBy(s, nil, aggr(expr.AggCountStar, nil, "n")), `
			Aggregate group=[] aggs=[count(*) AS n]
			  Scan t [parquet data/t] columns=[c]`},
		{"unused aggregate dropped", project(agg, "s", col(agg, "s"), "mb", col(agg, "mb")), `
			Project s#0 AS s, mb#1 AS mb
			  Aggregate group=[t.s#1] aggs=[max(t.b#0) AS mb]
			    Scan t [parquet data/t] columns=[b, s]`},
		{"unused projection dropped", project(project(s, "x", twice(col(s, "a")), "y", col(s, "c")), "y", colIn(project(s, "x", twice(col(s, "a")), "y", col(s, "c")).Schema(), "y")), `
			Project y#0 AS y
			  Project t.c#0 AS y
			    Scan t [parquet data/t] columns=[c]`},
		{"sort input narrowed", project(sorted, "a", col(sorted, "a")), `
			Project t.a#0 AS a
			  Sort t.c#1 DESC
			    Scan t [parquet data/t] columns=[a, c]`},
		{"distinct needs everything", project(&logical.Distinct{Input: s}, "a", col(s, "a")), `
			Project t.a#0 AS a
			  Distinct
			    Scan t [parquet data/t] columns=[a, b, s, c]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := applyOne(t, PruneColumns, write(tt.in), Config{})
			checkFormat(t, out.Children()[0], tt.want)
		})
	}
}

func TestPruneColumnsJoin(t *testing.T) {
	l := scan("l", 100, "id:int64", "a:int64", "pad:string")
	r := scan("r", 100, "id:int64", "b:int64", "pad:string", "c:int64")
	fl := filter(l, gt(twice(col(l, "a")), lit(0)))
	j := join(logical.InnerJoin, fl, r, "id", "id")
	j.Filter = lt(joinCol(fl, r, "a"), joinCol(fl, r, "c"))
	top := project(j, "b", col(j, "b"))
	out := applyOne(t, PruneColumns, write(top), Config{})
	checkFormat(t, out.Children()[0], `
		Project r.b#3 AS b
		  Join inner auto on [l.id#0] = [r.id#0] filter (l.a#1 < r.c#4)
		    Filter (test.twice(l.a#1) > 0)
		      Scan l [parquet data/l] columns=[id, a]
		    Scan r [parquet data/r] columns=[id, b, c]
	`)

	semi := join(logical.SemiJoin, l, r, "id", "id")
	semi.Filter = lt(joinCol(l, r, "a"), joinCol(l, r, "c"))
	out = applyOne(t, PruneColumns, write(project(semi, "pad", col(semi, "pad"))), Config{})
	checkFormat(t, out.Children()[0], `
		Project l.pad#2 AS pad
		  Join semi auto on [l.id#0] = [r.id#0] filter (l.a#1 < r.c#4)
		    Scan l [parquet data/l] columns=[id, a, pad]
		    Scan r [parquet data/r] columns=[id, c]
	`)
}

func TestPruneColumnsNarrowsJoinInputs(t *testing.T) {
	l := scan("l", 100, "id:int64", "a:int64", "pad:string")
	r := scan("r", 100, "id:int64", "b:int64")
	// The filter needs "a", the join does not: a Project drops it before the join.
	fl := filter(l, gt(twice(col(l, "a")), lit(0)))
	j := join(logical.LeftJoin, fl, r, "id", "id")
	out := applyOne(t, PruneColumns, write(project(j, "b", col(j, "b"))), Config{})
	checkFormat(t, out.Children()[0], `
		Project r.b#2 AS b
		  Join left auto on [l.id#0] = [r.id#0]
		    Project l.id#0 AS id
		      Filter (test.twice(l.a#1) > 0)
		        Scan l [parquet data/l] columns=[id, a]
		    Scan r [parquet data/r] columns=[id, b]
	`)
}

func TestPruneColumnsUnion(t *testing.T) {
	a := scan("a", 100, "x:int64", "y:string", "z:int64")
	b := scan("b", 100, "p:int64", "q:string", "r:int64")
	bf := filter(b, gt(twice(col(b, "r")), lit(0)))
	u := &logical.Union{Inputs: []logical.Node{a, bf}}
	out := applyOne(t, PruneColumns, write(project(u, "y", col(u, "y"))), Config{})
	checkFormat(t, out.Children()[0], `
		Project a.y#0 AS y
		  Union all (2 inputs)
		    Scan a [parquet data/a] columns=[y]
		    Project b.q#0 AS q
		      Filter (test.twice(b.r#1) > 0)
		        Scan b [parquet data/b] columns=[q, r]
	`)
}

func TestPruneColumnsKeepsWriteColumns(t *testing.T) {
	s := scan("t", 100, "a:int64", "b:int64")
	w := write(s)
	w.PartitionBy = []string{"b"}
	out := applyOne(t, PruneColumns, w, Config{})
	checkFormat(t, out, `
		Write out [parquet out/] mode=error partition_by=[b]
		  Scan t [parquet data/t] columns=[a, b]
	`)
}
