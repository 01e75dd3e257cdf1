package optimizer

import (
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// Golden plans for the join rules, shaped as a front end builds comma
// joins: cross joins in written order under one WHERE filter.
func init() {
	goldenPlans["tpch_q9_comma_join"] = tpchQ9Plan
	goldenPlans["tpch_q8_comma_join"] = tpchQ8Plan
	goldenPlans["tpch_q19_or_factoring"] = tpchQ19Plan
	goldenPlans["outer_to_inner"] = outerToInnerPlan
	goldenPlans["cross_and_mark_joins"] = crossAndMarkPlan
}

func tpchScan(name string, size int64, cols ...string) *logical.Scan {
	return scan(name, size, cols...)
}

func tpchPart() *logical.Scan {
	return tpchScan("part", 7<<20, "p_partkey:int64", "p_name:string", "p_brand:string", "p_type:string", "p_size:int32", "p_container:string")
}
func tpchSupplier() *logical.Scan {
	return tpchScan("supplier", 1<<20, "s_suppkey:int64", "s_nationkey:int32", "s_name:string")
}
func tpchLineitem() *logical.Scan {
	return tpchScan("lineitem", 220<<20, "l_orderkey:int64", "l_partkey:int64", "l_suppkey:int64", "l_quantity:float64",
		"l_extendedprice:float64", "l_discount:float64", "l_shipmode:string", "l_shipinstruct:string")
}
func tpchPartsupp() *logical.Scan {
	return tpchScan("partsupp", 40<<20, "ps_partkey:int64", "ps_suppkey:int64", "ps_supplycost:float64")
}
func tpchOrders() *logical.Scan {
	return tpchScan("orders", 55<<20, "o_orderkey:int64", "o_custkey:int64", "o_orderdate:date")
}
func tpchCustomer() *logical.Scan {
	return tpchScan("customer", 10<<20, "c_custkey:int64", "c_nationkey:int32")
}
func tpchNation(alias string) logical.Node {
	n := tpchScan("nation", 4<<10, "n_nationkey:int32", "n_name:string", "n_regionkey:int32")
	if alias == "" {
		return n
	}
	return &logical.Alias{Input: n, Name: alias}
}
func tpchRegion() *logical.Scan {
	return tpchScan("region", 2<<10, "r_regionkey:int32", "r_name:string")
}

// crossJoinAll joins ins left to right without conditions, as FROM a, b, …
func crossJoinAll(ins ...logical.Node) logical.Node {
	cur := ins[0]
	for _, in := range ins[1:] {
		cur = &logical.Join{Left: cur, Right: in, Type: logical.InnerJoin}
	}
	return cur
}

func like(a *expr.Expr, pattern string) *expr.Expr {
	return call(expr.FnLike, types.BoolType, a, lit(pattern))
}

func ge(a, b *expr.Expr) *expr.Expr { return call(expr.FnGe, types.BoolType, a, b) }

// tpchQ9Plan: FROM part, supplier, lineitem, partsupp, orders, nation —
// part and supplier, written first, share no condition.
func tpchQ9Plan() *logical.Plan {
	j := crossJoinAll(tpchPart(), tpchSupplier(), tpchLineitem(), tpchPartsupp(), tpchOrders(), tpchNation(""))
	f := filter(j, and(
		eq(col(j, "s_suppkey"), col(j, "l_suppkey")),
		eq(col(j, "ps_suppkey"), col(j, "l_suppkey")),
		eq(col(j, "ps_partkey"), col(j, "l_partkey")),
		eq(col(j, "p_partkey"), col(j, "l_partkey")),
		eq(col(j, "o_orderkey"), col(j, "l_orderkey")),
		eq(col(j, "s_nationkey"), col(j, "n_nationkey")),
		like(col(j, "p_name"), "%green%")))
	amount := call(expr.FnSub, types.Float64Type, col(f, "l_extendedprice"), call(expr.FnMul, types.Float64Type, col(f, "ps_supplycost"), col(f, "l_quantity")))
	p := project(f, "nation", col(f, "n_name"), "o_year", call(expr.FnYear, types.Int64Type, col(f, "o_orderdate")), "amount", amount)
	return planOf(write(groupBy(p, []string{"nation", "o_year"}, aggr(expr.AggSum, col(p, "amount"), "sum_profit"))))
}

// tpchQ8Plan: FROM part, supplier, lineitem, orders, customer, nation n1,
// nation n2, region — eight inputs, two of them the same table.
func tpchQ8Plan() *logical.Plan {
	j := crossJoinAll(tpchPart(), tpchSupplier(), tpchLineitem(), tpchOrders(), tpchCustomer(),
		tpchNation("n1"), tpchNation("n2"), tpchRegion())
	f := filter(j, and(
		eq(col(j, "p_partkey"), col(j, "l_partkey")),
		eq(col(j, "s_suppkey"), col(j, "l_suppkey")),
		eq(col(j, "l_orderkey"), col(j, "o_orderkey")),
		eq(col(j, "o_custkey"), col(j, "c_custkey")),
		eq(col(j, "c_nationkey"), col(j, "n1.n_nationkey")),
		eq(col(j, "n1.n_regionkey"), col(j, "r_regionkey")),
		eq(col(j, "r_name"), lit("AMERICA")),
		eq(col(j, "s_nationkey"), col(j, "n2.n_nationkey")),
		eq(col(j, "p_type"), lit("ECONOMY ANODIZED STEEL"))))
	p := project(f, "o_year", call(expr.FnYear, types.Int64Type, col(f, "o_orderdate")),
		"volume", col(f, "l_extendedprice"), "nation", col(f, "n2.n_name"))
	return planOf(write(groupBy(p, []string{"o_year"}, aggr(expr.AggSum, col(p, "volume"), "mkt"))))
}

// tpchQ19Plan: the join key p_partkey = l_partkey sits in every OR branch.
func tpchQ19Plan() *logical.Plan {
	j := crossJoinAll(tpchLineitem(), tpchPart())
	branch := func(brand string, qty float64, size int) *expr.Expr {
		return and(eq(col(j, "p_partkey"), col(j, "l_partkey")), eq(col(j, "p_brand"), lit(brand)),
			ge(col(j, "l_quantity"), lit(qty)), lt(col(j, "p_size"), expr.Cast(lit(size), types.Int32Type)),
			eq(col(j, "l_shipinstruct"), lit("DELIVER IN PERSON")))
	}
	f := filter(j, or(or(branch("Brand#12", 1, 5), branch("Brand#23", 10, 10)), branch("Brand#34", 20, 15)))
	rev := call(expr.FnMul, types.Float64Type, col(f, "l_extendedprice"), col(f, "l_discount"))
	p := project(f, "rev", rev)
	return planOf(write(groupBy(p, nil, aggr(expr.AggSum, col(p, "rev"), "revenue"))))
}

// outerToInnerPlan: WHERE conditions on the NULL-extended sides of a left
// join and a full join.
func outerToInnerPlan() *logical.Plan {
	c, o := customers(), orders()
	lj := join(logical.LeftJoin, c, o, "customer_id", "customer_id")
	p := tpchPart()
	fj := &logical.Join{Left: lj, Right: p, Type: logical.FullJoin,
		LeftKeys: []*expr.Expr{col(lj, "order_id")}, RightKeys: []*expr.Expr{col(p, "p_partkey")}}
	f := filter(fj, and(gt(col(fj, "amount"), lit(10.0)), isNull(col(fj, "p_name"))))
	return planOf(write(project(f, "name", col(f, "name"), "amount", col(f, "amount"), "part", col(f, "p_name"))))
}

// crossAndMarkPlan: a cross join with a single-row aggregate (an
// uncorrelated scalar subquery) and a mark join under an OR (EXISTS in an
// OR), then a non-equi join.
func crossAndMarkPlan() *logical.Plan {
	o, c := orders(), customers()
	avg := groupBy(orders(), nil, aggr(expr.AggAvg, col(orders(), "amount"), "avg_amount"))
	cross := crossJoinAll(o, avg)
	big := filter(cross, gt(col(cross, "amount"), col(cross, "avg_amount")))
	mark := &logical.Join{Left: big, Right: c, Type: logical.MarkJoin, MarkName: "has_customer",
		LeftKeys: []*expr.Expr{col(big, "orders.customer_id")}, RightKeys: []*expr.Expr{col(c, "customer_id")},
		Filter: eq(joinCol(big, c, "country"), lit("NL"))}
	f := filter(mark, or(col(mark, "has_customer"), gt(col(mark, "amount"), lit(1000.0))))
	s := customers()
	nonEqui := &logical.Join{Left: f, Right: s, Type: logical.LeftJoin,
		Filter: lt(joinCol(f, s, "orders.customer_id"), joinCol(f, s, "customers.customer_id"))}
	return planOf(write(project(nonEqui, "order_id", col(nonEqui, "order_id"), "has_customer", col(nonEqui, "has_customer"),
		"name", col(nonEqui, "name"))))
}
