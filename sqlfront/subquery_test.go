package sqlfront

import (
	"strings"
	"testing"

	"github.com/drover-etl/drover/plan/logical"
)

// Subqueries in every clause they may appear in, correlated or not; the
// plans (joins replacing the subqueries) are kept in a golden file.
var subqueryCases = []struct{ name, sql string }{
	{"in_top", "SELECT order_id FROM orders WHERE order_id IN (SELECT order_id FROM returns)"},
	{"not_in_top", "SELECT order_id FROM orders WHERE order_id NOT IN (SELECT order_id FROM returns)"},
	{"exists_correlated", "SELECT c.name FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id AND o.amount > 10)"},
	{"not_exists_non_equi", "SELECT o.order_id FROM orders o WHERE NOT EXISTS (SELECT * FROM orders o2 WHERE o2.customer_id = o.customer_id AND o2.order_id <> o.order_id)"},
	{"exists_under_or", "SELECT c.name FROM customers c WHERE c.country = 'NL' OR EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id)"},
	{"in_in_select", "SELECT order_id, order_id IN (SELECT order_id FROM returns) AS returned FROM orders"},
	{"scalar_uncorrelated", "SELECT order_id FROM orders WHERE amount > (SELECT avg(amount) FROM orders)"},
	{"scalar_uncorrelated_rows", "SELECT order_id, (SELECT reason FROM returns WHERE returns.order_id = 7) AS r FROM orders"},
	{"scalar_correlated", "SELECT o.order_id FROM orders o WHERE o.amount > (SELECT 1.5 * avg(o2.amount) FROM orders o2 WHERE o2.customer_id = o.customer_id)"},
	{"scalar_correlated_count", "SELECT c.name, (SELECT count(*) FROM orders o WHERE o.customer_id = c.customer_id) AS n FROM customers c"},
	{"scalar_correlated_coalesce", "SELECT c.name, (SELECT coalesce(sum(o.amount), 0) FROM orders o WHERE o.customer_id = c.customer_id) AS total FROM customers c"},
	{"scalar_in_having", "SELECT customer_id, sum(amount) AS s FROM orders GROUP BY customer_id HAVING sum(amount) > (SELECT avg(amount) FROM orders)"},
	{"nested", "SELECT name FROM customers WHERE customer_id IN (SELECT customer_id FROM orders WHERE order_id IN (SELECT order_id FROM returns))"},
	{"correlation_in_every_or_branch", "SELECT c.name FROM customers c WHERE (SELECT count(*) FROM orders o WHERE (o.customer_id = c.customer_id AND o.status = 'a') OR (o.customer_id = c.customer_id AND o.qty > 3)) > 0"},
	{"greater_than_all", "SELECT order_id FROM orders WHERE amount > ALL (SELECT amount FROM orders WHERE status = 'x')"},
	{"equal_any_top", "SELECT order_id FROM orders WHERE order_id = ANY (SELECT order_id FROM returns)"},
	{"in_correlated", "SELECT c.name FROM customers c WHERE c.country IN (SELECT o.status FROM orders o WHERE o.customer_id = c.customer_id)"},
}

func TestSubqueryPlansGolden(t *testing.T) {
	var sb strings.Builder
	for _, c := range subqueryCases {
		n, err := PlanSelect(c.sql, testRels(), nil)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		sb.WriteString("-- " + c.name + ": " + c.sql + "\n" + logical.Format(n) + "\n")
	}
	checkGolden(t, "subqueries.golden", sb.String())
}

func TestSubqueryErrors(t *testing.T) {
	for _, c := range []struct{ sql, want string }{
		{"SELECT order_id FROM orders WHERE amount > (SELECT amount, qty FROM orders)", "must return one column"},
		{"SELECT order_id FROM orders WHERE order_id IN (SELECT order_id, reason FROM returns)", "returns 2 columns"},
		{"SELECT o.order_id FROM orders o WHERE o.amount > (SELECT max(o2.amount) FROM orders o2 WHERE o2.customer_id > o.customer_id)", "only equalities"},
		{"SELECT o.order_id FROM orders o WHERE EXISTS (SELECT o.amount FROM orders o2 GROUP BY o2.status HAVING count(*) > o.qty)", "not supported"},
	} {
		_, err := PlanSelect(c.sql, testRels(), nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.sql, err, c.want)
		}
	}
}
