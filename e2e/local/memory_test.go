package local

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/drover-etl/drover/adaptive"
	"github.com/drover-etl/drover/engine"
	"github.com/drover-etl/drover/executor"
	"github.com/drover-etl/drover/internal/e2eutil"
	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/plan/physical"
)

// TestJobUnderATinyMemoryBudget runs group-bys (many groups; DISTINCT
// aggregates, exact medians, string min/max), SELECT DISTINCT, a window,
// a sort and a shuffled self-join with 4 slots sharing one 64 KiB budget (less than one open sink file is reckoned at:
// the others must spill around it), and compares every
// output with a run under an unlimited budget. Operators spill, the job's
// answers do not change, the per-operator figures show the hash
// aggregates, the hash join and the sorts spilled (and the unlimited run
// nothing), and the budget is all given back.
func TestJobUnderATinyMemoryBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	data := genData(t)
	run := func(pool *memory.Pool) (map[string][]string, map[physical.Op]int64, int64) {
		return runBudgetJob(t, data, &executor.Runtime{Name: "test", TempDir: t.TempDir(), Pool: pool}, engine.RunOptions{})
	}
	want, _, unbounded := run(memory.NewPool(0))
	if unbounded != 0 {
		t.Fatalf("the unlimited run spilled %d bytes", unbounded)
	}
	tiny := memory.NewPool(64 << 10)
	got, spilled, total := run(tiny)
	t.Logf("spilled bytes by operator: %v; in all: %d", spilled, total)
	for sink, rows := range want {
		if len(rows) == 0 {
			t.Fatalf("%s: no rows", sink)
		}
		if strings.Join(got[sink], "\n") != strings.Join(rows, "\n") {
			t.Errorf("%s: %d rows under 64 KiB differ from the %d unspilled ones", sink, len(got[sink]), len(rows))
		}
	}
	for _, op := range []physical.Op{physical.OpHashAgg, physical.OpHashJoin, physical.OpSort} {
		if spilled[op] == 0 {
			t.Errorf("no %s spilled under a 64 KiB budget", op)
		}
	}
	if tiny.Held() != 0 {
		t.Errorf("the budget holds %d bytes after the job", tiny.Held())
	}
}

// runBudgetJob runs the job of TestJobUnderATinyMemoryBudget on data with
// rt (its pool and spill place) and returns each sink's rows, the bytes
// spilled by operator kind, and in all.
func runBudgetJob(t *testing.T, data string, rt *executor.Runtime, ro engine.RunOptions) (map[string][]string, map[physical.Op]int64, int64) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	job := fmt.Sprintf(`
job "budget" {
  source "orders" {
    format = "csv"
    path   = "%[1]s/orders/day=*/*.csv"
    schema = { order_id = "int64", customer_id = "int64", status = "string", amount = "decimal(10,2)", note = "string", ordered_at = "timestamp" }
  }
  view "by_customer" {
    sql = <<-SQL
      SELECT customer_id, count(*) AS n, sum(amount) AS total, count(DISTINCT status) AS statuses,
             median(amount) AS med, min(note) AS first_note, max(status) AS last_status,
             sum(DISTINCT amount) AS distinct_total
      FROM orders GROUP BY customer_id
    SQL
  }
  view "by_order" {
    sql = "SELECT order_id, count(*) AS n, max(amount) AS amount FROM orders GROUP BY order_id"
  }
  view "pairs" {
    sql = "SELECT DISTINCT customer_id, status FROM orders"
  }
  view "ranked" {
    sql = "SELECT order_id, rank() OVER (PARTITION BY customer_id ORDER BY amount DESC, order_id) AS r FROM orders"
  }
  view "sorted" {
    sql = "SELECT order_id, note FROM orders ORDER BY note, order_id"
  }
  view "joined" {
    sql = "SELECT a.order_id, a.amount, b.note, b.status FROM orders a JOIN orders b ON a.order_id = b.order_id AND a.customer_id = b.customer_id"
  }
  sink "by_customer" {
    from = "by_customer"
    format = "csv"
    path = "%[2]s/by_customer"
  }
  sink "by_order" {
    from = "by_order"
    format = "csv"
    path = "%[2]s/by_order"
  }
  sink "pairs" {
    from = "pairs"
    format = "csv"
    path = "%[2]s/pairs"
  }
  sink "ranked" {
    from = "ranked"
    format = "csv"
    path = "%[2]s/ranked"
  }
  sink "sorted" {
    from = "sorted"
    format = "csv"
    path = "%[2]s/sorted"
  }
  sink "joined" {
    from = "joined"
    format = "csv"
    path = "%[2]s/joined"
  }
}`, data, out)
	ctx := context.Background()
	// A shuffled self-join, so its build side is a task's share of orders.
	c, err := engine.Compile(ctx, writeJob(t, t.TempDir(), job), engine.Options{Parallelism: 4, Partitions: 4, BroadcastThresholdBytes: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ex := executor.NewLocal(rt, 4)
	ro.Adaptive = adaptive.Config{BroadcastBytes: -1}
	sum, err := engine.Run(ctx, c, ex, ro)
	if err != nil {
		t.Fatal(err)
	}
	// Each stage's operator counters pair with its fragment in pre-order.
	spilled, total := map[physical.Op]int64{}, int64(0)
	for _, s := range sum.Stages {
		var nodes []*physical.Node
		var walk func(*physical.Node)
		walk = func(n *physical.Node) {
			nodes = append(nodes, n)
			for _, in := range n.Inputs {
				walk(in)
			}
		}
		walk(c.Stages.Stages[s.ID].Root)
		var ops int64
		for i, m := range s.Metrics.Operators {
			spilled[nodes[i].Op] += m.Spilled
			ops += m.Spilled
		}
		if ops > s.Metrics.SpilledBytes {
			t.Fatalf("stage %d: its operators spilled %d bytes, more than its tasks' %d", s.ID, ops, s.Metrics.SpilledBytes)
		}
		total += s.Metrics.SpilledBytes
	}
	got := map[string][]string{}
	for _, sink := range []string{"by_customer", "by_order", "pairs", "ranked", "sorted", "joined"} {
		dir := filepath.Join(out, sink)
		for _, f := range e2eutil.VisibleFiles(t, dir) {
			for _, r := range e2eutil.ReadCSV(t, filepath.Join(dir, f))[1:] {
				got[sink] = append(got[sink], strings.Join(r, ","))
			}
		}
		if sink != "sorted" { // sorted keeps its order across part files
			slices.Sort(got[sink])
		}
	}
	return got, spilled, total
}
