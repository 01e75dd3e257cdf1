package cluster

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// sqlJobHCL exercises the SQL forms that plan into new shapes of stage
// graph: a window function (shuffle by the partition keys, sort within)
// and correlated subqueries (decorrelated into grouped left joins, semi
// and anti joins).
const sqlJobHCL = `
job "s3sql" {
  source "orders" {
    format = "csv"
    path   = "s3://data/demo/orders/day=*/*.csv"
    schema = { order_id = "int64", customer_id = "int64", status = "string", amount = "decimal(10,2)", note = "string", ordered_at = "timestamp" }
  }
  source "customers" {
    format = "parquet"
    path   = "s3://data/demo/customers/"
  }
  view "top_orders" {
    sql = <<-SQL
      SELECT customer_id, order_id, amount, rn, running
      FROM (
        SELECT customer_id, order_id, amount,
               row_number() OVER (PARTITION BY customer_id ORDER BY amount DESC, order_id) AS rn,
               sum(amount) OVER (PARTITION BY customer_id ORDER BY order_id
                                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running
        FROM orders
        WHERE amount IS NOT NULL
      ) t
      WHERE rn <= 2
    SQL
  }
  view "big_orders" {
    sql = <<-SQL
      SELECT o.order_id, o.customer_id, o.amount
      FROM orders o
      WHERE o.amount > (SELECT avg(o2.amount) * 1.5 FROM orders o2 WHERE o2.customer_id = o.customer_id)
        AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.customer_id = o.customer_id AND c.country IS NULL)
        AND o.customer_id IN (SELECT customer_id FROM customers WHERE tier IS NOT NULL)
    SQL
  }
  sink "top_orders" {
    from   = "top_orders"
    format = "csv"
    path   = "s3://out/${var.name}/top_orders/"
    mode   = "overwrite"
  }
  sink "big_orders" {
    from   = "big_orders"
    format = "csv"
    path   = "s3://out/${var.name}/big_orders/"
    mode   = "overwrite"
  }
}
variable "name" {
  default = "x"
}
`

// TestSubmitWindowAndCorrelatedSubquery runs a window function and
// correlated subqueries through `drover submit` on three executors and
// checks the rows against `drover run` of the same job.
func TestSubmitWindowAndCorrelatedSubquery(t *testing.T) {
	e := setup(t)
	genDemo(t)
	job := filepath.Join(t.TempDir(), "job.hcl")
	if err := os.WriteFile(job, []byte(sqlJobHCL), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) {
		cmd := exec.Command(e.binary, args...)
		cmd.Env = os.Environ()
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("drover %v: %v\n%s", args, err, out)
		}
	}
	run("run", job, "--var", "name=sql-local", "--partitions", "4")
	run("submit", job, "--var", "name=sql-cluster", "--executors", "3", "--executor-memory", "256", "--executor-cpu", "100",
		"--shuffle-dir", "s3://shuffle/sql", "--executor-binary", e.binary)
	for _, sink := range []string{"top_orders", "big_orders"} {
		got := dataLines(readAll(t, "s3://out/sql-cluster/"+sink+"/"))
		want := dataLines(readAll(t, "s3://out/sql-local/"+sink+"/"))
		if len(want) < 10 {
			t.Fatalf("%s: the local run wrote %d lines; the job should select more", sink, len(want))
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("%s: submit output differs from run (%d vs %d lines)", sink, len(got), len(want))
		}
	}
	assertNoDroverJobsEnv(t)
}

// dataLines drops the CSV header lines (one per part file; the number of
// parts follows the parallelism, the rows must not).
func dataLines(lines []string) []string {
	var out []string
	for _, l := range lines {
		if !strings.HasPrefix(l, "customer_id,") && !strings.HasPrefix(l, "order_id,") {
			out = append(out, l)
		}
	}
	return out
}
