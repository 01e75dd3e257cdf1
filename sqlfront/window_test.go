package sqlfront

import (
	"strings"
	"testing"

	"github.com/drover-etl/drover/plan/logical"
)

// Window functions in the select list, over aggregates, with frames,
// named windows and QUALIFY; the plans are kept in a golden file.
var windowCases = []struct{ name, sql string }{
	{"row_number_dedup", "SELECT order_id, customer_id FROM orders QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY ordered_at DESC) = 1"},
	{"running_total", "SELECT order_id, sum(amount) OVER (PARTITION BY customer_id ORDER BY ordered_at ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running FROM orders"},
	{"two_specs", "SELECT order_id, rank() OVER (ORDER BY amount DESC) AS r, lag(amount, 1, 0) OVER (PARTITION BY customer_id ORDER BY order_id) AS prev, avg(amount) OVER (PARTITION BY customer_id) AS avg_c FROM orders"},
	{"over_aggregate", "SELECT customer_id, sum(amount) AS s, rank() OVER (ORDER BY sum(amount) DESC) AS r FROM orders GROUP BY customer_id"},
	{"named_window", "SELECT order_id, first_value(amount) OVER w AS f, last_value(amount) OVER (w ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS l FROM orders WINDOW w AS (PARTITION BY customer_id ORDER BY order_id)"},
	{"range_interval", "SELECT order_id, count(*) OVER (ORDER BY day RANGE BETWEEN INTERVAL 7 DAY PRECEDING AND CURRENT ROW) AS week FROM orders"},
	{"order_by_window", "SELECT order_id FROM orders ORDER BY row_number() OVER (ORDER BY amount), order_id"},
}

func TestWindowPlansGolden(t *testing.T) {
	var sb strings.Builder
	for _, c := range windowCases {
		n, err := PlanSelect(c.sql, testRels(), nil)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		sb.WriteString("-- " + c.name + ": " + c.sql + "\n" + logical.Format(n) + "\n")
	}
	checkGolden(t, "windows.golden", sb.String())
}

func TestWindowErrors(t *testing.T) {
	for _, c := range []struct{ sql, want string }{
		{"SELECT order_id FROM orders WHERE row_number() OVER (ORDER BY amount) = 1", "not allowed in where"},
		{"SELECT customer_id FROM orders GROUP BY customer_id HAVING rank() OVER (ORDER BY customer_id) = 1", "not allowed in having"},
		{"SELECT order_id FROM orders QUALIFY order_id > 1", "QUALIFY needs a window function"},
		{"SELECT sum(amount) OVER w FROM orders", "unknown window"},
		{"SELECT count(*) OVER (ORDER BY order_id RANGE BETWEEN INTERVAL 1 DAY PRECEDING AND CURRENT ROW) FROM orders", "DATE or TIMESTAMP"},
	} {
		_, err := PlanSelect(c.sql, testRels(), nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.sql, err, c.want)
		}
	}
}
