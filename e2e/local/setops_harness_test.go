package local

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/drover-etl/drover/engine"
	"github.com/drover-etl/drover/executor"
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/internal/e2eutil"
	"github.com/drover-etl/drover/jobspec"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/optimizer"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/stage"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/types"
)

// These helpers run hand-built logical plans through the whole engine —
// optimizer, physical planner, stage graph, driver and the local executor
// with JSON round-tripped task specs — the way the SQL front end's plans
// will run, for the nodes the front end does not produce yet.

// planRun is one compiled and executed plan.
type planRun struct {
	explain string
	rows    []map[string]string
}

// runLogical optimizes, plans with parts shuffle partitions, runs root
// into a Parquet sink and reads the result back.
func runLogical(t *testing.T, root logical.Node, parts int) planRun {
	t.Helper()
	return runLogicalTo(t, root, parts, filepath.Join(t.TempDir(), "out"))
}

// runLogicalTo is runLogical writing the Parquet files into directory out.
func runLogicalTo(t *testing.T, root logical.Node, parts int, out string) planRun {
	t.Helper()
	ctx := context.Background()
	lp := &logical.Plan{Job: "setops", Sinks: []*logical.Write{{Input: root, Sink: "out", Format: "parquet", Path: out}}}
	opt, err := optimizer.Optimize(lp, optimizer.Config{})
	if err != nil {
		t.Fatalf("optimize: %v\n%s", err, logical.FormatPlan(lp))
	}
	phys, err := physical.Plan(ctx, opt, physical.Config{Partitions: parts, Splitter: splitFiles})
	if err != nil {
		t.Fatalf("physical: %v", err)
	}
	g, err := stage.Build(phys)
	if err != nil {
		t.Fatalf("stages: %v", err)
	}
	c := &engine.Compiled{Job: &jobspec.Job{Name: "setops"}, Logical: lp, Optimized: opt, Physical: phys, Stages: g, Partitions: parts}
	ex := executor.NewLocal(&executor.Runtime{Name: "test", TempDir: t.TempDir()}, 2)
	ex.Serialize = true
	if _, err := engine.Run(ctx, c, ex, engine.RunOptions{}); err != nil {
		t.Fatalf("run: %v\n%s", err, c.Explain())
	}
	return planRun{explain: c.Explain(), rows: e2eutil.ReadParquetDir(t, out)}
}

// splitFiles lists a scan's files (Path is a directory written by a
// previous run) as one split each.
func splitFiles(ctx context.Context, s *logical.Scan) ([]format.Split, error) {
	locs, infos, err := storage.ExpandInfo(ctx, s.Path+"/*.parquet")
	if err != nil {
		return nil, err
	}
	f, err := format.Lookup(s.Format)
	if err != nil {
		return nil, err
	}
	var out []format.Split
	for i, l := range locs {
		sp, err := f.Split(ctx, l, infos[i].Size, 1<<30)
		if err != nil {
			return nil, err
		}
		out = append(out, sp...)
	}
	return out, nil
}

// text renders rows as "v1|v2|..." over cols, sorted unless ordered.
func text(rows []map[string]string, ordered bool, cols ...string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		cells := make([]string, len(cols))
		for c, name := range cols {
			v, ok := r[name]
			if !ok {
				v = "<missing " + name + ">"
			}
			cells[c] = v
		}
		out[i] = strings.Join(cells, "|")
	}
	if !ordered {
		sort.Strings(out)
	}
	return out
}

func sameRows(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot  %d rows %v\nwant %d rows %v", what, len(got), got, len(want), want)
	}
}

// partitioned is a multi-partition constant input: a Union of one VALUES
// per chunk of rows (each a task of its own). Cells are Go values: int,
// string, float64 or nil for NULL, typed by the column types given.
func partitioned(t *testing.T, qualifier string, cols []string, typs []types.Type, chunks ...[][]any) logical.Node {
	t.Helper()
	var ins []logical.Node
	for _, chunk := range chunks {
		var rows [][]*expr.Expr
		for _, r := range chunk {
			row := make([]*expr.Expr, len(r))
			for c, v := range r {
				row[c] = literal(t, v, typs[c])
			}
			rows = append(rows, row)
		}
		if len(rows) == 0 {
			// An empty chunk: a VALUES row filtered away.
			row := make([]*expr.Expr, len(cols))
			for c := range cols {
				row[c] = expr.Lit(types.NullValue(typs[c]))
			}
			v := mustValues(t, [][]*expr.Expr{row}, cols, qualifier)
			ins = append(ins, &logical.Filter{Input: v, Cond: expr.Lit(types.BoolValue(false))})
			continue
		}
		ins = append(ins, mustValues(t, rows, cols, qualifier))
	}
	if len(ins) == 1 {
		return ins[0]
	}
	return &logical.Union{Inputs: ins}
}

func mustValues(t *testing.T, rows [][]*expr.Expr, cols []string, qualifier string) *logical.Values {
	t.Helper()
	v, err := logical.NewValues(rows, cols, qualifier)
	if err != nil {
		t.Fatal(err)
	}
	for i := range v.Out.Fields {
		v.Out.Fields[i].Nullable = true // every chunk alike, as a union needs
	}
	return v
}

func literal(t *testing.T, v any, typ types.Type) *expr.Expr {
	t.Helper()
	switch x := v.(type) {
	case nil:
		return expr.Lit(types.NullValue(typ))
	case int:
		return expr.Lit(types.Int64Value(int64(x)))
	case string:
		return expr.Lit(types.StringValue(x))
	case float64:
		return expr.Lit(types.Float64Value(x))
	}
	t.Fatalf("literal %T", v)
	return nil
}

// colOf binds column name of n.
func colOf(t *testing.T, n logical.Node, name string) *expr.Expr {
	t.Helper()
	s := n.Schema()
	i, err := s.Resolve("", name)
	if err != nil {
		t.Fatal(err)
	}
	return expr.BoundCol(i, s.Fields[i])
}

// key renders a Go value as the Parquet reader prints it.
func key(v any) string {
	if v == nil {
		return "NULL"
	}
	return fmt.Sprint(v)
}

func sortStrings(s []string) { sort.Strings(s) }
