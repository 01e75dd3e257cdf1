package sqlfront

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

var update = flag.Bool("update", false, "rewrite golden files")

func scan(name string, cols ...string) *logical.Scan {
	s := &types.Schema{}
	for _, c := range cols {
		n, t, _ := strings.Cut(c, ":")
		typ, err := types.Parse(t)
		if err != nil {
			panic(err)
		}
		s.Fields = append(s.Fields, types.Field{Qualifier: name, Name: n, Type: typ, Nullable: true})
	}
	return &logical.Scan{Source: name, Format: "parquet", Path: "data/" + name + "/", Table: s}
}

func testRels() map[string]logical.Node {
	return map[string]logical.Node{
		"orders": scan("orders", "order_id:int64", "customer_id:int64", "status:string",
			"amount:float64", "price:decimal(10,2)", "qty:int32", "ordered_at:timestamp", "day:date"),
		"customers": scan("customers", "customer_id:int64", "country:string", "name:string"),
		"returns":   scan("returns", "order_id:int64", "reason:string"),
	}
}

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
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
	if string(want) != got {
		t.Errorf("%s differs from the plans built now (go test -update rewrites it):\n%s", path, got)
	}
}

var selectCases = []struct{ name, sql string }{
	{"filter and project", "SELECT order_id, amount * 2 AS double_amount FROM orders WHERE status = 'paid' AND amount > 0"},
	{"star", "SELECT * FROM orders WHERE day = '2026-11-20'"},
	{"alias star", "SELECT o.* FROM orders o WHERE o.qty > 5"},
	{"join", "SELECT o.order_id, c.country FROM orders o JOIN customers c ON o.customer_id = c.customer_id AND o.amount > 10"},
	{"left join residual", "SELECT o.order_id, r.reason FROM orders o LEFT JOIN returns r ON r.order_id = o.order_id AND r.reason <> 'damaged'"},
	{"comma join", "SELECT o.order_id, c.name FROM orders o, customers c WHERE o.customer_id = c.customer_id AND c.country = 'NL'"},
	{"three way join", "SELECT o.order_id, c.name, r.reason FROM orders o JOIN customers c ON o.customer_id = c.customer_id JOIN returns r ON r.order_id = o.order_id"},
	{"group by", "SELECT c.country, p.customer_id, sum(p.amount) AS spent FROM orders p JOIN customers c ON p.customer_id = c.customer_id GROUP BY c.country, p.customer_id ORDER BY spent DESC LIMIT 10"},
	{"having hidden aggregate", "SELECT status, count(*) AS n FROM orders GROUP BY status HAVING sum(amount) > 100 AND count(*) > 1"},
	{"having select alias", "SELECT status, sum(amount) AS total FROM orders GROUP BY 1 HAVING total > 5"},
	{"group by expression", "SELECT CAST(ordered_at AS DATE) AS d, avg(amount) FROM orders GROUP BY CAST(ordered_at AS DATE) ORDER BY d"},
	{"group by alias", "SELECT year(day) AS y, count(DISTINCT customer_id) AS customers FROM orders GROUP BY y"},
	{"expression over aggregates", "SELECT status, sum(price) / count(*) AS avg_price, max(day) FROM orders GROUP BY status"},
	{"global aggregate", "SELECT count(*), sum(qty), min(status) FROM orders"},
	{"order by hidden", "SELECT order_id FROM orders ORDER BY amount DESC, 1"},
	{"order by hidden aggregate", "SELECT status FROM orders GROUP BY status ORDER BY count(*) DESC"},
	{"distinct", "SELECT DISTINCT status FROM orders ORDER BY status"},
	{"union all", "SELECT order_id, qty FROM orders UNION ALL SELECT order_id, 1 FROM returns UNION ALL SELECT customer_id, 2 FROM customers"},
	{"union", "SELECT customer_id FROM orders UNION SELECT customer_id FROM customers ORDER BY 1 LIMIT 5"},
	{"derived table", "SELECT t.status, t.n FROM (SELECT status, count(*) AS n FROM orders GROUP BY status) t WHERE t.n > 2"},
	{"cte", "WITH big AS (SELECT * FROM orders WHERE amount > 100) SELECT c.country, count(*) AS n FROM big JOIN customers c ON big.customer_id = c.customer_id GROUP BY c.country"},
	{"case and functions", "SELECT CASE WHEN qty > 10 THEN 'bulk' ELSE 'retail' END AS kind, upper(status) AS s, date_add(day, 1) AS next_day, coalesce(price, 0) AS p FROM orders"},
	{"semi-like in list", "SELECT order_id FROM orders WHERE status IN ('paid', 'shipped') AND qty BETWEEN 1 AND 3"},
}

func TestPlanSelectGolden(t *testing.T) {
	var sb strings.Builder
	for _, c := range selectCases {
		node, err := PlanView("v", c.sql, testRels(), nil)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		fmt.Fprintf(&sb, "-- %s\n%s\n%s  => %s\n\n", c.name, c.sql, logical.Format(node), node.Schema())
		checkTree(t, c.name, node)
	}
	checkGolden(t, "select.golden", sb.String())
}

// checkTree asserts every expression of the plan is bound, and that join
// keys pair up by type.
func checkTree(t *testing.T, name string, n logical.Node) {
	t.Helper()
	var exprs []*expr.Expr
	switch x := n.(type) {
	case *logical.Filter:
		exprs = append(exprs, x.Cond)
	case *logical.Project:
		exprs = append(exprs, x.Exprs...)
	case *logical.Join:
		for i := range x.LeftKeys {
			if x.LeftKeys[i].Type != x.RightKeys[i].Type {
				t.Errorf("%s: join key types differ", name)
			}
		}
		exprs = append(append(exprs, x.LeftKeys...), x.RightKeys...)
	case *logical.Aggregate:
		exprs = append(exprs, x.GroupBy...)
	}
	for _, e := range exprs {
		expr.Walk(e, func(n *expr.Expr) bool {
			if n.Kind == expr.KindColumn && n.Index == expr.Unbound || n.Kind == expr.KindCall && strings.HasPrefix(n.Name, aggPrefix) {
				t.Errorf("%s: unbound node %s in %s", name, n, e)
			}
			return true
		})
	}
	for _, c := range n.Children() {
		checkTree(t, name, c)
	}
}

func TestPlanSelectErrors(t *testing.T) {
	tests := []struct {
		sql     string
		want    string
		wantErr error
	}{
		{"SELECT amonut FROM orders", `select: unknown column "amonut" (did you mean "amount"?)`, types.ErrUnknownColumn},
		{"SELECT * FROM ordrs", `from: unknown relation "ordrs" (did you mean "orders"?)`, ErrUnknownRelation},
		{"SELECT order_id FROM orders WHERE status = 5", "where: cannot compare string with int64 in (status = 5)", expr.ErrType},
		{"SELECT customer_id FROM orders JOIN customers ON orders.customer_id = customers.customer_id", `"customer_id" matches orders.customer_id and customers.customer_id`, types.ErrAmbiguousColumn},
		{"SELECT * FROM orders JOIN orders ON orders.order_id = orders.order_id", "give one side an alias", ErrPlan},
		{"SELECT o.order_id AS id, r.order_id AS id FROM orders o JOIN returns r ON o.order_id = r.order_id", `duplicate output column "id"`, ErrPlan},
		{"SELECT status, amount FROM orders GROUP BY status", "select: column amount must be in group_by or inside an aggregate", ErrPlan},
		{"SELECT status FROM orders WHERE count(*) > 1", "where: aggregates are not allowed in where", ErrPlan},
		{"SELECT status, sum(status) FROM orders GROUP BY status", "sum needs a numeric argument, got string in sum(status)", expr.ErrType},
		{"SELECT order_id FROM orders ORDER BY 3", "order_by: position 3 is not in the select list (1..1)", ErrPlan},
		{"SELECT DISTINCT status FROM orders ORDER BY amount", "with DISTINCT", ErrPlan},
		{"SELECT order_id FROM orders UNION SELECT order_id, reason FROM returns", "UNION branches have 1 and 2 columns", ErrPlan},
		{"SELECT status FROM orders UNION SELECT qty FROM orders", "mixes string and int32", ErrPlan},
		{"SELECT * FROM orders WHERE amount", "not boolean", ErrPlan},
		{"SELECT FROM orders", "syntax error", ErrSyntax},
		{"SELECT x.* FROM orders", "x.* matches no relation", ErrPlan},
		{"SELECT lenght(status) FROM orders", `unknown function "lenght" (did you mean "length"?)`, expr.ErrUnknownFunction},
		{"SELECT status FROM orders GROUP BY status HAVING total > 1", `having: unknown column "total"`, types.ErrUnknownColumn},
		{"DELETE FROM orders", "a view is one SELECT query", ErrUnsupported},
	}
	for _, tt := range tests {
		_, err := PlanSelect(tt.sql, testRels(), nil)
		if err == nil {
			t.Errorf("PlanSelect(%q): no error, want %q", tt.sql, tt.want)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) || !errors.Is(err, tt.wantErr) {
			t.Errorf("PlanSelect(%q) error = %q, want %q (%v)", tt.sql, err, tt.want, tt.wantErr)
		}
	}
}
