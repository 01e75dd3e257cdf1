package cluster

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/drover-etl/drover/adaptive"
	"github.com/drover-etl/drover/cluster"
	"github.com/drover-etl/drover/driver"
	"github.com/drover-etl/drover/engine"
	"github.com/drover-etl/drover/executor"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/tpch"
)

// spillJobHCL is a big aggregation, a shuffled join, a total sort and a
// window dedup over TPC-H lineitem and orders; every answer is unique (the
// sort and the window order by unique keys, sums are of decimals).
const spillJobHCL = `
job "spill" {
  partitions = 3
  source "lineitem" {
    format = "parquet"
    path   = "s3://data/tpch/parquet/lineitem/"
  }
  source "orders" {
    format = "parquet"
    path   = "s3://data/tpch/parquet/orders/"
  }
  view "by_order" {
    sql = <<-SQL
      SELECT l_orderkey, count(*) AS n, sum(l_quantity) AS qty, sum(l_extendedprice) AS price,
             count(DISTINCT l_partkey) AS parts, max(l_comment) AS last_comment
      FROM lineitem GROUP BY l_orderkey
    SQL
  }
  view "by_day" {
    sql = <<-SQL
      SELECT o.o_orderdate, o.o_orderpriority, count(*) AS n, sum(l.l_extendedprice) AS price,
             max(o.o_comment) AS ocomment, min(l.l_comment) AS lcomment
      FROM lineitem l JOIN orders o ON l.l_orderkey = o.o_orderkey
      GROUP BY o.o_orderdate, o.o_orderpriority
    SQL
  }
  view "sorted" {
    sql = "SELECT l_orderkey, l_linenumber, l_extendedprice, l_comment FROM lineitem ORDER BY l_extendedprice DESC, l_orderkey, l_linenumber"
  }
  view "latest" {
    sql = <<-SQL
      SELECT l_suppkey, l_orderkey, l_linenumber, l_shipdate FROM lineitem
      QUALIFY row_number() OVER (PARTITION BY l_suppkey ORDER BY l_shipdate DESC, l_orderkey, l_linenumber) = 1
    SQL
  }
  sink "by_order" {
    from   = "by_order"
    format = "csv"
    path   = "s3://out/${var.name}/by_order/"
  }
  sink "by_day" {
    from   = "by_day"
    format = "csv"
    path   = "s3://out/${var.name}/by_day/"
  }
  sink "sorted" {
    from   = "sorted"
    format = "csv"
    path   = "s3://out/${var.name}/sorted/"
  }
  sink "latest" {
    from   = "latest"
    format = "csv"
    path   = "s3://out/${var.name}/latest/"
  }
}
variable "name" {
  default = "x"
}
`

// spillBudget is each executor's memory budget in the test: 512 KiB for
// its two slots, against 60,000 lineitem rows (SF 0.01).
const spillBudget = 512 << 10

// TestExecutorsTooSmallSpill runs the job on 3 Nomad executors whose
// memory budgets (--memory 512 KiB, two slots) are far below any stage's
// data, shuffling through MinIO. Every answer — aggregation, join, total
// order, window dedup — must equal an unbounded local run's, the local run
// must not have spilled, and the cluster run's per-operator figures must
// show the hash aggregates, the hash join and the sorts spilled.
func TestExecutorsTooSmallSpill(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	generateSpillData(ctx, t)
	// Shuffled joins, one task per partition: the plan the figures are
	// read against is the plan that runs.
	off := adaptive.Config{Disabled: true}

	local := compileSpillJob(t, "spill-local")
	sum, err := engine.Run(ctx, local, executor.NewLocal(&executor.Runtime{Name: "local"}, 2),
		engine.RunOptions{ShuffleDir: "s3://shuffle/spill-local", Adaptive: off})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range sum.Stages {
		if st.Metrics.SpilledBytes != 0 {
			t.Fatalf("the unbounded local run spilled %d bytes in stage %d", st.Metrics.SpilledBytes, st.ID)
		}
	}

	cl, run, _ := runSpillCluster(ctx, t, e, "spill-cluster")
	defer cl.Close(context.Background())

	compareSpillOutputs(t, "spill-local", "spill-cluster")
	if err := cl.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if left, _ := storage.Expand(ctx, "s3://shuffle/spill-cluster/"+run+"/"); len(left) > 0 {
		t.Errorf("shuffle files left behind: %d", len(left))
	}
}

// generateSpillData writes the orders and lineitem tables the spill jobs
// read (TPC-H SF 0.01) to s3://data/tpch.
func generateSpillData(ctx context.Context, t *testing.T) {
	t.Helper()
	if _, err := tpch.Generate(ctx, tpch.Config{Dir: "s3://data/tpch", ScaleFactor: 0.01, Seed: 10,
		Formats: []string{"parquet"}, Tables: []string{tpch.Orders, tpch.Lineitem}}); err != nil {
		t.Fatal(err)
	}
}

// runSpillCluster runs the spill job (its sinks under name) on 3 Nomad
// executors of spillBudget bytes each (plus extra executor arguments),
// adaptive execution off, and checks that the hash aggregates, the hash
// join and the sorts spilled. The caller closes the cluster.
func runSpillCluster(ctx context.Context, t *testing.T, e *env, name string, extra ...string) (*cluster.Cluster, string, *driver.Summary) {
	t.Helper()
	c := compileSpillJob(t, name)
	run := engine.NewRunID()
	args := append([]string{"--memory", strconv.Itoa(spillBudget)}, extra...)
	cl, err := cluster.Start(ctx, cluster.Config{Executors: 3, SlotsPerExecutor: 2, Binary: e.binary, CPU: 100, MemoryMB: 256,
		Env: e.s3Env(), Secrets: e.s3Secrets(), ExtraArgs: args}, c.Job.Name, run)
	if err != nil {
		t.Fatal(err)
	}
	waitLive(t, cl, 3)
	csum, err := engine.Run(ctx, c, cl.Executor(), engine.RunOptions{ShuffleDir: "s3://shuffle/" + name, Run: run,
		Scaler: cl, Adaptive: adaptive.Config{Disabled: true}})
	if err != nil {
		cl.Close(context.Background())
		t.Fatal(err)
	}
	spilled := spilledByOperator(c, csum)
	t.Logf("spilled bytes by operator: %v; by stage: %v", spilled, stageSpills(csum))
	for _, op := range []physical.Op{physical.OpHashAgg, physical.OpHashJoin, physical.OpSort} {
		if spilled[op] == 0 {
			t.Errorf("no %s spilled under a %d-byte executor budget", op, spillBudget)
		}
	}
	return cl, run, csum
}

// compareSpillOutputs checks that the cluster run's sinks (named cluster)
// hold exactly the local run's answers (named local).
func compareSpillOutputs(t *testing.T, local, cluster string) {
	t.Helper()
	for _, sink := range []string{"by_order", "by_day", "latest"} {
		// Comments may end in spaces, which readAll trims off a file's last
		// line only: where files end differs between the runs.
		want, got := trimLines(readAll(t, "s3://out/"+local+"/"+sink+"/")), trimLines(readAll(t, "s3://out/"+cluster+"/"+sink+"/"))
		slices.Sort(want)
		slices.Sort(got)
		if len(want) < 100 {
			t.Fatalf("%s: only %d lines locally: the data is too small to test anything", sink, len(want))
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			for i := range min(len(got), len(want)) {
				if got[i] != want[i] {
					t.Errorf("%s: first difference at sorted line %d:\ncluster %s\nlocal   %s", sink, i, got[i], want[i])
					break
				}
			}
			t.Fatalf("%s: cluster output (%d lines) differs from local (%d lines)", sink, len(got), len(want))
		}
	}
	// The sort's files, read in partition order, are the one total order.
	want, got := trimLines(readInOrder(t, "s3://out/"+local+"/sorted/")), trimLines(readInOrder(t, "s3://out/"+cluster+"/sorted/"))
	if len(want) < 50_000 {
		t.Fatalf("sorted: %d rows locally, want all of lineitem", len(want))
	}
	if len(got) != len(want) {
		t.Fatalf("sorted: %d rows on the cluster, %d locally", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("sorted: row %d is %q on the cluster, %q locally", i, got[i], want[i])
		}
	}

}

func compileSpillJob(t *testing.T, name string) *engine.Compiled {
	t.Helper()
	path := filepath.Join(t.TempDir(), "job.hcl")
	if err := os.WriteFile(path, []byte(spillJobHCL), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := engine.Compile(context.Background(), path, engine.Options{Vars: map[string]string{"name": name},
		Parallelism: 6, BroadcastThresholdBytes: -1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// spilledByOperator sums the run's per-operator spilled bytes by operator
// kind, pairing each stage's operator counters with its fragment's nodes
// in pre-order (the order the executor counts them in).
func spilledByOperator(c *engine.Compiled, sum *driver.Summary) map[physical.Op]int64 {
	out := map[physical.Op]int64{}
	for _, st := range sum.Stages {
		var nodes []*physical.Node
		var walk func(*physical.Node)
		walk = func(n *physical.Node) {
			nodes = append(nodes, n)
			for _, in := range n.Inputs {
				walk(in)
			}
		}
		walk(c.Stages.Stages[st.ID].Root)
		for i, m := range st.Metrics.Operators {
			if i < len(nodes) {
				out[nodes[i].Op] += m.Spilled
			}
		}
	}
	return out
}

func stageSpills(sum *driver.Summary) map[int]int64 {
	out := map[int]int64{}
	for _, st := range sum.Stages {
		out[st.ID] = st.Metrics.SpilledBytes
	}
	return out
}

// readInOrder returns the data lines of the CSV files under prefix, file
// after file in listing (partition) order, each file's header dropped.
func readInOrder(t *testing.T, prefix string) []string {
	t.Helper()
	ctx := context.Background()
	locs, err := storage.Expand(ctx, prefix)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range locs {
		f, err := l.Store.Open(ctx, l.Key)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(io.NewSectionReader(f, 0, f.Size()))
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		ls := strings.Split(strings.TrimSpace(string(b)), "\n")
		if len(ls) > 1 {
			lines = append(lines, ls[1:]...)
		}
	}
	return lines
}

// trimLines drops trailing spaces from every line (keeping their order).
func trimLines(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.TrimRight(l, " ")
	}
	return out
}
