package sqlfront

import (
	"strings"
	"testing"

	"github.com/drover-etl/drover/plan/logical"
)

var setCases = []struct{ name, sql string }{
	{"intersect", "SELECT customer_id FROM orders INTERSECT SELECT customer_id FROM customers"},
	{"except_all", "SELECT order_id FROM orders EXCEPT ALL SELECT order_id FROM returns"},
	{"values", "SELECT a, b FROM (VALUES (1, 'x'), (2, NULL)) AS t(a, b)"},
	{"no_from", "SELECT 1 + 1 AS two, 'x' AS s"},
	{"offset", "SELECT order_id FROM orders ORDER BY order_id LIMIT 5 OFFSET 10"},
	{"offset_only", "SELECT order_id FROM orders ORDER BY order_id OFFSET 3"},
}

func TestSetPlansGolden(t *testing.T) {
	var sb strings.Builder
	for _, c := range setCases {
		n, err := PlanSelect(c.sql, testRels(), nil)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		sb.WriteString("-- " + c.name + ": " + c.sql + "\n" + logical.Format(n) + "\n")
	}
	checkGolden(t, "setops.golden", sb.String())
}
