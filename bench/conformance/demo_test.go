package conformance

import (
	"database/sql"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
)

func run(t *testing.T, dir, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
}

// rows runs a query and renders every row as "v1|v2|...".
func rows(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
	rs, err := db.Query(q)
	if err != nil {
		t.Fatalf("%v\n%s", err, q)
	}
	defer rs.Close()
	cols, _ := rs.Columns()
	var out []string
	for rs.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		cells := make([]string, len(vals))
		for i, v := range vals {
			cells[i] = fmt.Sprint(v)
		}
		out = append(out, strings.Join(cells, "|"))
	}
	return out
}

const ordersCSV = `read_csv('%s/orders/day=*/*.csv', header = true, hive_partitioning = false,
  columns = {'order_id': 'BIGINT', 'customer_id': 'BIGINT', 'status': 'VARCHAR', 'amount': 'DECIMAL(10,2)', 'note': 'VARCHAR', 'ordered_at': 'TIMESTAMP'})`

// TestDemoJobAgreesWithDuckDB runs jobs/daily_revenue.hcl with Drover and
// the same logic as SQL in DuckDB over the same input files, and compares
// both sinks; DuckDB reads Drover's partitioned Parquet with
// hive_partitioning, as a downstream consumer would.
func TestDemoJobAgreesWithDuckDB(t *testing.T) {
	if testing.Short() {
		t.Skip("runs both engines")
	}
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	dir := t.TempDir()
	bin := filepath.Join(dir, "drover")
	run(t, root, "go", "build", "-o", bin, "./cmd/drover")
	data, out := filepath.Join(dir, "data"), filepath.Join(dir, "out")
	run(t, dir, bin, "gen-data", data, "--customers", "500", "--orders-per-day", "5000", "--days", "3")
	run(t, dir, bin, "run", filepath.Join(root, "jobs", "daily_revenue.hcl"), "--var", "data="+data, "--var", "out="+out)

	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	inputs := fmt.Sprintf(`WITH orders AS (SELECT * FROM `+ordersCSV+`),
customers AS (SELECT * FROM read_parquet('%s/customers/*.parquet')),
paid AS (SELECT order_id, customer_id, amount, CAST(ordered_at AS DATE) AS day FROM orders WHERE status = 'paid' AND amount > 0)
`, data, data)

	want := rows(t, db, inputs+`
SELECT c.country, CAST(p.day AS VARCHAR), sum(p.amount), count(*), round(avg(p.amount), 9), count(DISTINCT c.tier)
FROM paid p JOIN customers c ON p.customer_id = c.customer_id
WHERE c.country IS NOT NULL
GROUP BY c.country, p.day HAVING sum(p.amount) > 100
ORDER BY 2, 3 DESC, 1`)
	got := rows(t, db, fmt.Sprintf(`
SELECT country, CAST(day AS VARCHAR), revenue, orders, round(avg_amount, 9), tiers
FROM read_parquet('%s/revenue/**/*.parquet', hive_partitioning = true)
ORDER BY 2, 3 DESC, 1`, out))
	compare(t, "revenue", got, want)

	wantTop := rows(t, db, inputs+`
SELECT coalesce(c.country, ''), p.customer_id, sum(p.amount), count(*)
FROM paid p JOIN customers c ON p.customer_id = c.customer_id
GROUP BY c.country, p.customer_id
ORDER BY 3 DESC, 2 LIMIT 10`)
	gotTop := rows(t, db, fmt.Sprintf(`
SELECT coalesce(country, ''), customer_id, spent, orders
FROM read_csv('%s/top_customers/*.csv', header = true, columns = {'country': 'VARCHAR', 'customer_id': 'BIGINT', 'spent': 'DECIMAL(38,2)', 'orders': 'BIGINT'})
ORDER BY 3 DESC, 2`, out))
	compare(t, "top_customers", gotTop, wantTop)
}

func compare(t *testing.T, name string, got, want []string) {
	t.Helper()
	if len(want) == 0 {
		t.Fatalf("%s: DuckDB computed no rows; the test data is wrong", name)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("%s: Drover and DuckDB disagree\nDrover:\n%s\nDuckDB:\n%s", name, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	t.Logf("%s: %d rows agree", name, len(got))
}
