package optimizer

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/stage"
	"github.com/drover-etl/drover/types"
)

// setopsGoldenPlans exercise grouping sets, set operations, VALUES and
// OFFSET; their golden files hold the optimizer trace, the physical plan
// and the stage graph.
var setopsGoldenPlans = map[string]func(*testing.T) *logical.Plan{
	"setops_rollup_having":      rollupHavingPlan,
	"setops_grouping_sets_dups": groupingSetsDupsPlan,
	"setops_intersect_all":      intersectAllPlan,
	"setops_except_distinct":    exceptDistinctPlan,
	"setops_values_union":       valuesUnionPlan,
	"setops_select_no_from":     selectNoFromPlan,
	"setops_offset":             offsetPlan,
}

// rollupHavingPlan: GROUP BY ROLLUP(status, customer_id) with sum, count(*)
// and GROUPING(status), then a HAVING on a key, which stays above the Expand.
func rollupHavingPlan(t *testing.T) *logical.Plan {
	o := orders()
	g, err := logical.GroupingSets(o, []*expr.Expr{col(o, "status"), col(o, "customer_id")}, []string{"status", "customer_id"},
		logical.Rollup([][]int{{0}, {1}}), []logical.AggExpr{aggr(expr.AggSum, col(o, "amount"), "revenue"), aggr(expr.AggCountStar, nil, "n")}, "r")
	if err != nil {
		t.Fatal(err)
	}
	gs, err := g.Grouping(0)
	if err != nil {
		t.Fatal(err)
	}
	f := filter(g.Node, eq(col(g.Node, "status"), lit("paid")))
	return planOf(write(project(f, "status", col(f, "status"), "customer_id", col(f, "customer_id"),
		"g_status", gs, "revenue", col(f, "revenue"))))
}

// groupingSetsDupsPlan: GROUPING SETS ((status), (status), (customer_id))
// with a DISTINCT aggregate; no empty set, a position column for the repeat.
func groupingSetsDupsPlan(t *testing.T) *logical.Plan {
	o := orders()
	d := aggr(expr.AggCount, col(o, "order_id"), "orders")
	d.Distinct = true
	g, err := logical.GroupingSets(o, []*expr.Expr{col(o, "status"), col(o, "customer_id")}, []string{"status", "customer_id"},
		[][]int{{0}, {0}, {1}}, []logical.AggExpr{d}, "")
	if err != nil {
		t.Fatal(err)
	}
	return planOf(write(g.Node))
}

func twoOrderSources() (logical.Node, logical.Node) {
	a, b := orders(), orders()
	b.Source, b.Path = "orders_archive", "data/orders_archive"
	b.Table = b.Table.WithQualifier("orders_archive")
	return project(a, "customer_id", col(a, "customer_id"), "status", col(a, "status")),
		project(b, "customer_id", col(b, "customer_id"), "comment", col(b, "comment"))
}

// intersectAllPlan: INTERSECT ALL, with a filter above that reaches both
// sides once the SetOp is lowered.
func intersectAllPlan(t *testing.T) *logical.Plan {
	l, r := twoOrderSources()
	s, err := logical.NewSetOp(logical.Intersect, true, l, r)
	if err != nil {
		t.Fatal(err)
	}
	return planOf(write(filter(s, gt(col(s, "customer_id"), lit(100)))))
}

func exceptDistinctPlan(t *testing.T) *logical.Plan {
	l, r := twoOrderSources()
	s, err := logical.NewSetOp(logical.Except, false, l, r)
	if err != nil {
		t.Fatal(err)
	}
	return planOf(write(s))
}

// valuesUnionPlan: a scan UNION ALL a VALUES list whose int column is
// widened to the scan's float column.
func valuesUnionPlan(t *testing.T) *logical.Plan {
	o := orders()
	p := project(o, "status", col(o, "status"), "amount", col(o, "amount"))
	v, err := logical.NewValues([][]*expr.Expr{{lit("manual"), lit(5)}, {lit("void"), lit(types.NullValue(types.NullType))}},
		[]string{"status", "amount"}, "")
	if err != nil {
		t.Fatal(err)
	}
	v2 := logical.CastColumns(v, []types.Type{types.StringType, types.Float64Type})
	return planOf(write(&logical.Union{Inputs: []logical.Node{p, v2}}))
}

// selectNoFromPlan: SELECT 1 + 2 AS three.
func selectNoFromPlan(t *testing.T) *logical.Plan {
	return planOf(write(project(logical.OneRow(), "three", add(lit(1), lit(2)))))
}

// offsetPlan: ORDER BY amount LIMIT 10 OFFSET 20, OFFSET 5 alone over a
// sort, and LIMIT 3 OFFSET 2 over a union.
func offsetPlan(t *testing.T) *logical.Plan {
	o := orders()
	s := &logical.Sort{Input: o, Keys: []logical.SortKey{{Expr: col(o, "amount"), Desc: true}}}
	w1 := write(logical.NewLimit(s, 10, 20))
	o2 := orders()
	s2 := &logical.Sort{Input: o2, Keys: []logical.SortKey{{Expr: col(o2, "order_id")}}}
	w2 := write(logical.NewLimit(s2, -1, 5))
	w2.Sink = "out2"
	a, b := twoOrderSources()
	u := &logical.Union{Inputs: []logical.Node{a, logical.CastColumns(b, []types.Type{types.Int64Type, types.StringType})}}
	w3 := write(logical.NewLimit(u, 3, 2))
	w3.Sink = "out3"
	return planOf(w1, w2, w3)
}

func TestGoldenSetOps(t *testing.T) {
	for name, build := range setopsGoldenPlans {
		t.Run(name, func(t *testing.T) {
			p := build(t)
			got := explainTrace(t, p) + explainPhysical(t, p)
			checkGolden(t, name, got)
		})
	}
}

// explainPhysical plans the optimized plan with 4 partitions and two splits
// per scan, and renders the physical trees and the stage graph.
func explainPhysical(t *testing.T, p *logical.Plan) string {
	t.Helper()
	opt, err := Optimize(p, Config{})
	if err != nil {
		t.Fatal(err)
	}
	split := func(_ context.Context, s *logical.Scan) ([]format.Split, error) {
		return []format.Split{{URL: s.Path + "/a"}, {URL: s.Path + "/b"}}, nil
	}
	phys, err := physical.Plan(context.Background(), opt, physical.Config{Partitions: 4, Splitter: split})
	if err != nil {
		t.Fatal(err)
	}
	out := "== physical\n"
	for _, n := range phys {
		out += physical.Format(n)
	}
	g, err := stage.Build(phys)
	if err != nil {
		t.Fatal(err)
	}
	return out + "== stages\n" + g.Format()
}

// TestPhysicalRandomSetPlans: every random plan with the new nodes plans
// physically and cuts into stages whose inputs agree on partition counts
// (a VALUES leaf is one partition).
func TestPhysicalRandomSetPlans(t *testing.T) {
	for seed := range 200 {
		g := &planGen{r: rand.New(rand.NewPCG(uint64(seed), 17))}
		p := planOf(write(g.setNode(4)))
		_ = explainPhysical(t, p)
	}
}
