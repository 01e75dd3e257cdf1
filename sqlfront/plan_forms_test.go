package sqlfront

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/drover-etl/drover/plan/logical"
)

// Forms the TiDB grammar could not express or sqlfront could not plan
// before its own parser.
var formCases = []struct{ name, sql string }{
	{"right join", "SELECT o.order_id, c.country FROM orders o RIGHT JOIN customers c ON o.customer_id = c.customer_id"},
	{"right join star", "SELECT * FROM returns r RIGHT OUTER JOIN customers c ON r.order_id = c.customer_id"},
	{"using", "SELECT * FROM orders JOIN customers USING (customer_id)"},
	{"left using", "SELECT customer_id, name, orders.customer_id AS o_id FROM orders LEFT JOIN customers c USING (customer_id)"},
	{"right using", "SELECT * FROM returns RIGHT JOIN orders USING (order_id)"},
	{"natural join", "SELECT * FROM orders NATURAL JOIN returns"},
	{"cte column list", "WITH t(id, total) AS (SELECT order_id, amount FROM orders) SELECT id FROM t WHERE total > 1"},
	{"derived column list", "SELECT x.a FROM (SELECT order_id, qty FROM orders) AS x(a, b) WHERE x.b > 1"},
	{"table column list", "SELECT r.id, r.why FROM returns AS r(id, why)"},
	{"order by nulls", "SELECT order_id, amount FROM orders ORDER BY amount DESC NULLS LAST, 1 NULLS FIRST"},
	{"order by alias expression", "SELECT order_id, amount * 2 AS a2 FROM orders ORDER BY a2 + 1, qty"},
	{"comma join reordered", "SELECT c.*, r.* FROM customers c, returns r, orders o WHERE o.customer_id = c.customer_id AND r.order_id = o.order_id"},
	{"cross join with where", "SELECT o.order_id FROM orders o CROSS JOIN customers c WHERE o.customer_id = c.customer_id"},
	{"parenthesized join", "SELECT o.order_id, r.reason FROM (orders o JOIN customers c ON o.customer_id = c.customer_id) LEFT JOIN returns r ON r.order_id = o.order_id"},
	{"interval days", "SELECT day + INTERVAL 3 DAY AS d3, day - INTERVAL '1' WEEK AS w FROM orders"},
	{"parenthesized union branch", "(SELECT order_id FROM orders ORDER BY amount LIMIT 3) UNION ALL SELECT order_id FROM returns ORDER BY 1"},
	{"fetch first", "SELECT order_id FROM orders ORDER BY order_id FETCH FIRST 5 ROWS ONLY;"},
	{"group by empty set", "SELECT count(*) AS n FROM orders GROUP BY ()"},
	{"quoted identifiers", `SELECT "status" AS "Order Status", count(*) "n" FROM orders GROUP BY "status"`},
}

func TestPlanFormsGolden(t *testing.T) {
	var sb strings.Builder
	for _, c := range formCases {
		node, err := PlanView("v", c.sql, testRels(), nil)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		fmt.Fprintf(&sb, "-- %s\n%s\n%s  => %s\n\n", c.name, c.sql, logical.Format(node), node.Schema())
		checkTree(t, c.name, node)
	}
	checkGolden(t, "forms.golden", sb.String())
}

// TestPlanNotSupported: everything the parser accepts but sqlfront
// cannot plan yet fails naming the construct, never with a wrong plan.
func TestPlanNotSupported(t *testing.T) {
	rels := testRels()
	rels["a"] = scan("a", "x:int64", "y:string")
	rels["b"] = scan("b", "x:int64", "z:string")
	tests := []struct{ sql, want string }{
		{"SELECT * FROM a NATURAL JOIN returns", "not supported: NATURAL JOIN of relations with no column in common"},
		{"SELECT * FROM a, LATERAL (SELECT * FROM b WHERE b.x = a.x) l", "not supported: LATERAL"},
	}
	for _, tt := range tests {
		_, err := PlanSelect(tt.sql, rels, nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, ErrUnsupported) {
			t.Errorf("PlanSelect(%q) error = %v, want %q (not supported)", tt.sql, err, tt.want)
		}
	}
}

func TestPlanFormErrors(t *testing.T) {
	tests := []struct {
		sql     string
		want    string
		wantErr error
	}{
		{"WITH RECURSIVE r AS (SELECT 1) SELECT * FROM r", "WITH RECURSIVE is not supported", ErrSyntax},
		{"SELECT x FROM orders WHERE", "syntax error at the end (line 1, column 27)", ErrSyntax},
		{"SELECT * FROM returns r(a, b, c)", "r(...) names 3 columns, but the relation has 2", ErrPlan},
		{"SELECT * FROM orders JOIN customers USING (nope)", `USING column "nope" of the left side`, ErrPlan},
		{"SELECT order_id FROM orders LIMIT x", "LIMIT needs a whole number", ErrUnsupported},
		{"SELECT order_id FROM orders GROUP BY 2", "position 2 is not an expression of the select list", ErrPlan},
	}
	for _, tt := range tests {
		_, err := PlanSelect(tt.sql, testRels(), nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) {
			t.Errorf("PlanSelect(%q) error = %v, want %q (%v)", tt.sql, err, tt.want, tt.wantErr)
		}
	}
}

// TestFullJoinIsNotAnAlias: FULL used to be read as an alias of a, and
// the query ran silently as an inner join.
func TestFullJoinIsNotAnAlias(t *testing.T) {
	rels := testRels()
	rels["a"] = scan("a", "x:int64", "y:string")
	rels["b"] = scan("b", "x:int64", "z:string")
	for _, sql := range []string{
		"SELECT a.x AS ax, b.x AS bx FROM a FULL JOIN b ON a.x = b.x",
		"SELECT a.x AS ax, b.x AS bx FROM a FULL OUTER JOIN b ON a.x = b.x",
		"SELECT * FROM a FULL JOIN b USING (x)",
	} {
		n, err := PlanSelect(sql, rels, nil)
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		if plan := logical.Format(n); !strings.Contains(plan, "Join full") {
			t.Errorf("%s: no full join in\n%s", sql, plan)
		}
	}
	n, err := PlanSelect("SELECT * FROM a FULL JOIN b USING (x)", rels, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := n.Schema().String(); !strings.HasPrefix(got, "x:int64, a.y:string, b.z:string") {
		t.Errorf("FULL JOIN USING columns: %s", got)
	}
}
