package optimizer

import (
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
)

func TestFilterJoinedGroups(t *testing.T) {
	fact := scan("fact", 1<<30, "id:int64", "dim:int64?", "q:int64")
	dim := scan("dim", 1<<20, "k:int64", "v:int64?")
	fdim := *dim
	fdim.Filters = []*expr.Expr{gt(col(dim, "v"), lit(2))}
	bare := scan("bare", 1<<20, "k:int64", "v:int64?")
	// A scalar subquery's shape: the fact table grouped by its key, under a
	// Project naming the key and value.
	agg := groupBy(fact, []string{"dim"}, aggr(expr.AggSum, col(fact, "q"), "total"))
	grouped := project(agg, "gk", expr.BoundCol(0, agg.Schema().Fields[0]), "total", expr.BoundCol(1, agg.Schema().Fields[1]))
	outer := join(logical.InnerJoin, fact, &fdim, "dim", "k")
	withGroups := func(typ logical.JoinType, left logical.Node, key string) *logical.Join {
		return join(typ, left, grouped, key, "gk")
	}
	// The semi join both first cases end with.
	filtered := `
			  Project dim#0 AS gk, total#1 AS total
			    Aggregate group=[fact.dim#1] aggs=[sum(fact.q#2) AS total]
			      Join semi auto on [fact.dim#1] = [dim.k#0]
			        Scan fact [parquet data/fact] columns=[id, dim, q]
			        Project dim.k#0 AS k
			          Scan dim [parquet data/dim] columns=[k, v] filters=[(dim.v#1 > 2)]`
	runRuleCases(t, FilterJoinedGroups, []ruleCase{
		{"grouped side filtered by the filtered dimension's keys", withGroups(logical.LeftJoin, outer, "dim.k"), `
			Join left auto on [dim.k#3] = [gk#0]
			  Join inner auto on [fact.dim#1] = [dim.k#0]
			    Scan fact [parquet data/fact] columns=[id, dim, q]
			    Scan dim [parquet data/dim] columns=[k, v] filters=[(dim.v#1 > 2)]` + filtered},
		{"across the inner join's key equality", withGroups(logical.InnerJoin, outer, "fact.dim"), `
			Join inner auto on [fact.dim#1] = [gk#0]
			  Join inner auto on [fact.dim#1] = [dim.k#0]
			    Scan fact [parquet data/fact] columns=[id, dim, q]
			    Scan dim [parquet data/dim] columns=[k, v] filters=[(dim.v#1 > 2)]` + filtered},
		{"a semi join's build side filtered by the probe side's keys", join(logical.SemiJoin, &fdim, fact, "k", "dim"), `
			Join semi auto on [dim.k#0] = [fact.dim#1]
			  Scan dim [parquet data/dim] columns=[k, v] filters=[(dim.v#1 > 2)]
			  Join semi auto on [fact.dim#1] = [dim.k#0]
			    Scan fact [parquet data/fact] columns=[id, dim, q]
			    Project dim.k#0 AS k
			      Scan dim [parquet data/dim] columns=[k, v] filters=[(dim.v#1 > 2)]`},
		{"an inner join's ungrouped side is left to the join", join(logical.InnerJoin, &fdim, fact, "k", "dim"), ""},
		{"an unfiltered source adds nothing", withGroups(logical.LeftJoin, join(logical.InnerJoin, fact, bare, "dim", "k"), "bare.k"), ""},
		{"a right join keeps every group", withGroups(logical.RightJoin, outer, "dim.k"), ""},
		{"a source as large as the groups' input is no filter", withGroups(logical.LeftJoin, fact, "id"), ""},
		{"a computed key is not followed", withGroups(logical.LeftJoin, project(outer, "k1", add(col(outer, "dim.k"), lit(1))), "k1"), ""},
	}, fact, dim, bare)
}
