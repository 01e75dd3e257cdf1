package stage

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/optimizer"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/types"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// windowGoldenPlan is three stacked Windows: two partitioned by the same
// key (the second needs no second shuffle, only a sort), one without
// PARTITION BY (a single-partition exchange). A filter on the partition
// key between them moves below the partitioned windows into the scan; the
// filter above the last one stays, since that Window has no PARTITION BY.
func windowGoldenPlan(t *testing.T) *logical.Plan {
	table := types.NewSchema(
		types.Field{Qualifier: "t", Name: "k", Type: types.StringType},
		types.Field{Qualifier: "t", Name: "ts", Type: types.TimestampType},
		types.Field{Qualifier: "t", Name: "amount", Type: types.DecimalOf(12, 2), Nullable: true},
		types.Field{Qualifier: "t", Name: "unused", Type: types.StringType},
	)
	scan := &logical.Scan{Source: "t", Format: "parquet", Path: "data/t", Table: table}
	col := expr.Col
	one := expr.Lit(types.Int64Value(1))
	tenAndAHalf, err := types.ParseDecimal("10.5")
	if err != nil {
		t.Fatal(err)
	}
	w1, err := logical.NewWindow(scan, []*expr.Expr{col("", "k")}, []logical.SortKey{{Expr: col("", "ts"), Desc: true}},
		[]logical.WindowFuncSpec{{Name: "row_number", Alias: "rn"}, {Name: "lag", Args: []*expr.Expr{col("", "amount")}, Alias: "prev"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	w2, err := logical.NewWindow(w1, []*expr.Expr{col("", "k")}, []logical.SortKey{{Expr: col("", "amount")}},
		[]logical.WindowFuncSpec{{Name: "sum", Args: []*expr.Expr{col("", "amount")}, Alias: "running"},
			{Name: "percent_rank", Alias: "pr"},
			{Name: "avg", Args: []*expr.Expr{col("", "amount")}, Alias: "near", Frame: &logical.WindowFrame{Unit: logical.FrameRange,
				Start: logical.FrameBound{Kind: logical.Preceding, Offset: tenAndAHalf}, End: logical.FrameBound{Kind: logical.Following, Offset: tenAndAHalf}}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ne, err := expr.Bind(expr.Call(expr.FnNe, col("", "k"), expr.Lit(types.StringValue("x"))), w2.Schema(), nil)
	if err != nil {
		t.Fatal(err)
	}
	w3, err := logical.NewWindow(&logical.Filter{Input: w2, Cond: ne}, nil, []logical.SortKey{{Expr: col("", "ts")}},
		[]logical.WindowFuncSpec{{Name: "count", Star: true, Alias: "seen"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := w3.Schema()
	cond := func(name string, l, r *expr.Expr) *expr.Expr {
		b, err := expr.Bind(expr.Call(name, l, r), s, nil)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	f := &logical.Filter{Input: w3, Cond: cond(expr.FnAnd, expr.Call(expr.FnEq, col("", "rn"), one), expr.Call(expr.FnNe, col("", "k"), expr.Lit(types.StringValue("y"))))}
	p := &logical.Project{Input: f, Names: []string{"k", "running", "pr", "seen", "prev", "near"}}
	for _, n := range p.Names {
		i, _ := f.Schema().Resolve("", n)
		p.Exprs = append(p.Exprs, expr.BoundCol(i, f.Schema().Fields[i]))
	}
	return &logical.Plan{Job: "window", Sinks: []*logical.Write{{Input: p, Sink: "out", Format: "parquet", Path: "out"}}}
}

// TestWindowGolden checks the optimized, physical and staged forms of a
// windowed plan against testdata/window.golden (regenerate with
// go test ./stage -run Golden -update), and that every stage's fragment
// survives a JSON round trip as task specs do.
func TestWindowGolden(t *testing.T) {
	lp := windowGoldenPlan(t)
	opt, err := optimizer.Optimize(lp, optimizer.Config{})
	if err != nil {
		t.Fatal(err)
	}
	splits := func(context.Context, *logical.Scan) ([]format.Split, error) {
		return []format.Split{{URL: "data/t/a.parquet"}, {URL: "data/t/b.parquet"}, {URL: "data/t/c.parquet"}}, nil
	}
	phys, err := physical.Plan(context.Background(), opt, physical.Config{Partitions: 4, Splitter: splits})
	if err != nil {
		t.Fatal(err)
	}
	g, err := Build(phys)
	if err != nil {
		t.Fatal(err)
	}
	got := "== Optimized ==\n" + logical.FormatPlan(opt) + "\n== Physical ==\n" + physical.Format(phys[0]) + "\n== Stages ==\n" + g.Format()
	golden := filepath.Join("testdata", "window.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("plan differs from %s (go test ./stage -run Golden -update)\n--- got\n%s", golden, got)
	}
	for _, st := range g.Stages {
		data, err := json.Marshal(st.Root)
		if err != nil {
			t.Fatal(err)
		}
		var back physical.Node
		if err := json.Unmarshal(data, &back); err != nil {
			t.Fatal(err)
		}
		again, err := json.Marshal(&back)
		if err != nil {
			t.Fatal(err)
		}
		if string(again) != string(data) || physical.Format(&back) != physical.Format(st.Root) {
			t.Fatalf("stage %d does not round-trip through JSON:\n%s", st.ID, data)
		}
	}
}
