package optimizer

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// goldenPlans are representative plans as the front ends build them.
var goldenPlans = map[string]func() *logical.Plan{
	"scan_filter_project":  scanFilterProjectPlan,
	"join_aggregate":       joinAggregatePlan,
	"left_join_filters":    leftJoinFiltersPlan,
	"union_filter_limit":   unionPlan,
	"count_star_constants": countStarPlan,
}

func orders() *logical.Scan {
	return scan("orders", 512<<20, "order_id:int64", "customer_id:int64", "status:string",
		"amount:float64", "ordered_at:timestamp", "comment:string?")
}

func customers() *logical.Scan {
	return scan("customers", 2<<20, "customer_id:int64", "name:string", "country:string", "segment:string?")
}

// paid is the JOBSPEC's "paid" view: where, then select with a cast.
func paid() *logical.Project {
	o := orders()
	f := filter(o, and(eq(col(o, "status"), lit("paid")), gt(col(o, "amount"), lit(0.0))))
	p := project(f, "order_id", col(f, "order_id"), "customer_id", col(f, "customer_id"),
		"amount", col(f, "amount"), "day", expr.Cast(col(f, "ordered_at"), types.DateType))
	p.Qualifier = "paid"
	return p
}

func scanFilterProjectPlan() *logical.Plan {
	return planOf(write(paid()))
}

// joinAggregatePlan is the JOBSPEC's enriched → by_country views: a join,
// a group by, a HAVING on an aggregate and a filter on a group column.
func joinAggregatePlan() *logical.Plan {
	p, c := paid(), customers()
	j := join(logical.InnerJoin, p, c, "customer_id", "customer_id")
	e := project(j, "order_id", col(j, "paid.order_id"), "amount", col(j, "paid.amount"),
		"day", col(j, "paid.day"), "country", col(j, "customers.country"))
	e.Qualifier = "enriched"
	a := groupBy(e, []string{"country", "day"}, aggr(expr.AggSum, col(e, "amount"), "revenue"),
		aggr(expr.AggCountStar, nil, "orders"), aggr(expr.AggAvg, col(e, "amount"), "avg_amount"))
	having := filter(a, and(gt(col(a, "revenue"), lit(100.0)), eq(col(a, "country"), lit("NL"))))
	s := &logical.Sort{Input: having, Keys: []logical.SortKey{{Expr: col(having, "day")}, {Expr: col(having, "revenue"), Desc: true, NullsFirst: true}}}
	w := write(&logical.Limit{Input: s, N: 1000})
	w.PartitionBy = []string{"day"}
	return planOf(w)
}

func leftJoinFiltersPlan() *logical.Plan {
	c, o := customers(), orders()
	j := join(logical.LeftJoin, c, o, "customer_id", "customer_id")
	j.Filter = and(eq(joinCol(c, o, "orders.status"), lit("paid")), eq(joinCol(c, o, "customers.segment"), lit("retail")))
	f := filter(j, and(eq(col(j, "country"), lit("NL")), isNull(col(j, "order_id"))))
	return planOf(write(project(f, "name", col(f, "name"), "country", col(f, "country"))))
}

func unionPlan() *logical.Plan {
	a, b := orders(), orders()
	b.Source, b.Path = "orders_archive", "data/orders_archive"
	b.Table = b.Table.WithQualifier("orders_archive")
	bp := project(b, "order_id", col(b, "order_id"), "amount", col(b, "amount"))
	ap := project(a, "order_id", col(a, "order_id"), "amount", col(a, "amount"))
	u := &logical.Union{Inputs: []logical.Node{ap, bp}}
	f := filter(u, gt(col(u, "amount"), lit(10.0)))
	return planOf(write(&logical.Limit{Input: f, N: 50}))
}

func countStarPlan() *logical.Plan {
	o := orders()
	f := filter(o, and(or(lit(false), gt(col(o, "amount"), add(lit(1.0), lit(2.0)))), not(not(eq(col(o, "status"), lit("paid"))))))
	return planOf(write(groupBy(f, nil, aggr(expr.AggCountStar, nil, "n"))))
}

func TestGolden(t *testing.T) {
	for name, build := range goldenPlans {
		t.Run(name, func(t *testing.T) {
			got := explainTrace(t, build())
			checkGolden(t, name, got)
		})
	}
}

// explainTrace renders the input plan, each rule that changed it with the
// plan after it, the way explain shows an optimization.
func explainTrace(t *testing.T, p *logical.Plan) string {
	t.Helper()
	steps, err := OptimizeTrace(p, Config{})
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	sb.WriteString("== input\n" + logical.FormatPlan(p))
	for _, st := range steps {
		if st.Changed {
			sb.WriteString("== after " + st.Rule + "\n" + logical.FormatPlan(st.Plan))
		}
	}
	sb.WriteString("== fired: " + strings.Join(Fired(steps), ", ") + "\n")
	return sb.String()
}

// checkGolden compares got with testdata/<name>.golden, or rewrites it
// with -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (go test -update rewrites it)\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
