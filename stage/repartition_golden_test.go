package stage

import (
	"context"
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

// repartitionGoldenPlan has one sink per use of repartition and coalesce:
// coalesce of a scan (fewer scan tasks, no shuffle); a hash repartition
// with a filter above it (pushed below, into the scan); a keyless
// repartition (hash of every column) to the job's partitions coalesced after it; a coalesce to
// more partitions than there are (a no-op); a projection above a
// repartition (the shuffle carries only the kept column and the key).
func repartitionGoldenPlan(t *testing.T) *logical.Plan {
	table := types.NewSchema(
		types.Field{Qualifier: "t", Name: "k", Type: types.StringType},
		types.Field{Qualifier: "t", Name: "v", Type: types.Int64Type, Nullable: true},
		types.Field{Qualifier: "t", Name: "w", Type: types.StringType, Nullable: true},
	)
	scan := func(src string) *logical.Scan {
		return &logical.Scan{Source: src, Format: "csv", Path: "data/" + src, Table: table.WithQualifier(src)}
	}
	key := func(n logical.Node) []*expr.Expr {
		return []*expr.Expr{expr.BoundCol(0, n.Schema().Fields[0])}
	}
	hashed := &logical.Repartition{Input: scan("wide"), Partitions: 6}
	hashed.Keys = key(hashed.Input)
	ne, err := expr.Bind(expr.Call(expr.FnNe, expr.Col("", "k"), expr.Lit(types.StringValue("x"))), hashed.Schema(), nil)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, in logical.Node) *logical.Write {
		return &logical.Write{Input: in, Sink: name, Format: "csv", Path: "out/" + name}
	}
	keyed := &logical.Repartition{Input: scan("wide"), Partitions: 4}
	keyed.Keys = key(keyed.Input)
	v := keyed.Schema().Fields[1]
	narrow := &logical.Project{Input: keyed, Exprs: []*expr.Expr{expr.BoundCol(1, v)}, Names: []string{"v"}}
	return &logical.Plan{Job: "repartition", Sinks: []*logical.Write{
		write("fewer_files", &logical.Coalesce{Input: scan("wide"), Partitions: 3}),
		write("by_key", &logical.Filter{Input: hashed, Cond: ne}),
		write("dealt", &logical.Coalesce{Input: &logical.Repartition{Input: scan("wide")}, Partitions: 2}),
		write("no_op", &logical.Coalesce{Input: scan("narrow"), Partitions: 5}),
		write("pruned", narrow),
	}}
}

// TestRepartitionGolden checks the plans and stage graph of repartition
// and coalesce against testdata/repartition.golden (regenerate with
// go test ./stage -run Golden -update).
func TestRepartitionGolden(t *testing.T) {
	opt, err := optimizer.Optimize(repartitionGoldenPlan(t), optimizer.Config{})
	if err != nil {
		t.Fatal(err)
	}
	splits := func(_ context.Context, s *logical.Scan) ([]format.Split, error) {
		if s.Source == "narrow" {
			return make([]format.Split, 3), nil
		}
		return make([]format.Split, 8), nil
	}
	phys, err := physical.Plan(context.Background(), opt, physical.Config{Partitions: 4, Splitter: splits})
	if err != nil {
		t.Fatal(err)
	}
	g, err := Build(phys)
	if err != nil {
		t.Fatal(err)
	}
	got := "== Optimized ==\n" + logical.FormatPlan(opt) + "\n== Physical ==\n"
	for _, p := range phys {
		got += physical.Format(p)
	}
	got += "\n== Stages ==\n" + g.Format()
	golden := filepath.Join("testdata", "repartition.golden")
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
}
