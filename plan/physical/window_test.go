package physical

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// TestWindowReusesPartitioning: a Window over a Window with the same
// PARTITION BY and ORDER BY needs neither an exchange nor a sort; with
// another ORDER BY only a sort; with no PARTITION BY a single partition.
func TestWindowReusesPartitioning(t *testing.T) {
	table := types.NewSchema(types.Field{Qualifier: "t", Name: "k", Type: types.Int64Type}, types.Field{Qualifier: "t", Name: "v", Type: types.Int64Type})
	scan := &logical.Scan{Source: "t", Format: "parquet", Table: table}
	k, v := expr.Col("", "k"), expr.Col("", "v")
	win := func(in logical.Node, part []*expr.Expr, order []logical.SortKey, name string) logical.Node {
		w, err := logical.NewWindow(in, part, order, []logical.WindowFuncSpec{{Name: "lead", Args: []*expr.Expr{v}, Alias: name}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	byV := []logical.SortKey{{Expr: v}}
	w1 := win(scan, []*expr.Expr{k}, byV, "a")
	w2 := win(w1, []*expr.Expr{k}, byV, "b")
	w3 := win(w2, []*expr.Expr{k}, []logical.SortKey{{Expr: v, Desc: true}}, "c")
	w4 := win(w3, nil, byV, "d")
	splits := func(context.Context, *logical.Scan) ([]format.Split, error) { return make([]format.Split, 2), nil }
	nodes, err := Plan(context.Background(), &logical.Plan{Sinks: []*logical.Write{{Input: w4, Sink: "out"}}}, Config{Partitions: 3, Splitter: splits})
	if err != nil {
		t.Fatal(err)
	}
	var shape []string
	for _, line := range strings.Split(strings.TrimSpace(Format(nodes[0])), "\n") {
		f := strings.Fields(line)
		op := f[0]
		if op == "Exchange" {
			op += " " + f[1]
		}
		shape = append(shape, op)
	}
	want := "Write Window Sort Exchange single Window Sort Window Window Sort Exchange hash Scan"
	if got := strings.Join(shape, " "); got != want {
		t.Fatalf("plan shape %s\nwant       %s\n%s", got, want, Format(nodes[0]))
	}
	// The spec survives JSON, as task specs do.
	data, err := json.Marshal(nodes[0])
	if err != nil {
		t.Fatal(err)
	}
	var back Node
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if Format(&back) != Format(nodes[0]) {
		t.Fatalf("JSON round trip changed the plan:\n%s", Format(&back))
	}
}
