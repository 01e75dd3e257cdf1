package sqlfront

import (
	"strings"
	"testing"

	"github.com/drover-etl/drover/plan/logical"
)

var groupingCases = []struct{ name, sql string }{
	{"rollup", "SELECT status, customer_id, sum(amount) AS s, grouping(status) AS gs, grouping(status, customer_id) AS g FROM orders GROUP BY ROLLUP(status, customer_id)"},
	{"cube", "SELECT status, day, count(*) AS n FROM orders GROUP BY CUBE(status, day)"},
	{"sets_mixed", "SELECT customer_id, status, day, count(*) AS n FROM orders GROUP BY customer_id, GROUPING SETS ((status), (day), ())"},
	{"within_group", "SELECT customer_id, percentile_cont(0.25) WITHIN GROUP (ORDER BY amount) AS p25, percentile_cont(0.9) WITHIN GROUP (ORDER BY amount DESC) AS p10d, percentile_disc(0.5) WITHIN GROUP (ORDER BY amount) AS pd, median(amount) AS m FROM orders GROUP BY customer_id"},
	{"filter_clause", "SELECT customer_id, count(*) FILTER (WHERE amount > 10) AS big, sum(amount) FILTER (WHERE status = 'paid') AS paid FROM orders GROUP BY customer_id"},
	{"rank_over_grouping", "SELECT status, customer_id, sum(amount) AS s, rank() OVER (PARTITION BY grouping(status) + grouping(customer_id) ORDER BY sum(amount) DESC) AS r FROM orders GROUP BY ROLLUP(status, customer_id)"},
}

func TestGroupingPlansGolden(t *testing.T) {
	var sb strings.Builder
	for _, c := range groupingCases {
		n, err := PlanSelect(c.sql, testRels(), nil)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		sb.WriteString("-- " + c.name + ": " + c.sql + "\n" + logical.Format(n) + "\n")
	}
	checkGolden(t, "grouping.golden", sb.String())
}

func TestGroupingErrors(t *testing.T) {
	for _, c := range []struct{ sql, want string }{
		{"SELECT status, grouping(day) FROM orders GROUP BY ROLLUP(status)", "not a group by key"},
	} {
		_, err := PlanSelect(c.sql, testRels(), nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.sql, err, c.want)
		}
	}
}
