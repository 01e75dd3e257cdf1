package optimizer

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/internal/windowref"
	"github.com/drover-etl/drover/plan/logical"
)

func testWindow(t *testing.T, in logical.Node, part []string, specs ...logical.WindowFuncSpec) *logical.Window {
	t.Helper()
	var pk []*expr.Expr
	for _, p := range part {
		pk = append(pk, col(in, p))
	}
	w, err := logical.NewWindow(in, pk, []logical.SortKey{{Expr: col(in, "b")}}, specs, nil)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// TestPushPredicatesWindow: only conjuncts on PARTITION BY columns go
// below a Window; one on another input column would change what the
// functions see (the row number of the remaining rows), one on a window
// column cannot go at all.
func TestPushPredicatesWindow(t *testing.T) {
	s := scan("t", 100, "a:int64", "b:int64", "s:string")
	w := testWindow(t, s, []string{"a", "s"}, logical.WindowFuncSpec{Name: "row_number", Alias: "rn"})
	in := filter(w, and(gt(col(w, "a"), lit(1)), eq(col(w, "s"), lit("x")), gt(col(w, "b"), lit(2)), eq(col(w, "rn"), lit(1))))
	out := applyOne(t, PushPredicates, in, Config{})
	checkFormat(t, out, `
		Filter ((t.b#1 > 2) AND (rn#3 = 1))
		  Window partition=[t.a#0, t.s#2] order=[t.b#1] funcs=[row_number() AS rn]
		    Scan t [parquet data/t] columns=[a, b, s] filters=[(t.a#0 > 1), (t.s#2 = "x")]`)
}

// TestPruneColumnsWindow drops unread window functions (and the Window
// when none is read) but keeps the columns the kept ones read.
func TestPruneColumnsWindow(t *testing.T) {
	s := scan("t", 100, "a:int64", "b:int64", "s:string", "c:int64")
	w := testWindow(t, s, []string{"a"},
		logical.WindowFuncSpec{Name: "sum", Args: []*expr.Expr{col(s, "c")}, Alias: "sc"},
		logical.WindowFuncSpec{Name: "row_number", Alias: "rn"})
	tests := []struct {
		name string
		in   logical.Node
		want string
	}{
		{"unread function dropped, its argument too", project(w, "s", col(w, "s"), "rn", col(w, "rn")), `
			Project t.s#2 AS s, rn#3 AS rn
			  Window partition=[t.a#0] order=[t.b#1] funcs=[row_number() AS rn]
			    Scan t [parquet data/t] columns=[a, b, s]`},
		{"no function read: window gone", project(w, "s", col(w, "s")), `
			Project t.s#0 AS s
			  Scan t [parquet data/t] columns=[s]`},
		{"argument kept", project(w, "sc", col(w, "sc")), `
			Project sc#3 AS sc
			  Window partition=[t.a#0] order=[t.b#1] funcs=[sum(t.c#2) RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW AS sc]
			    Scan t [parquet data/t] columns=[a, b, c]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := applyOne(t, PruneColumns, write(tt.in), Config{})
			checkFormat(t, out.Children()[0], tt.want)
		})
	}
}

// runWindow evaluates a Window with the naive reference evaluator.
func runWindow(w *logical.Window, data dataset) []row {
	in := run(w.Input, data)
	ref := make([]windowref.Row, len(in))
	for i, r := range in {
		ref[i] = windowref.Row(r)
	}
	var out []row
	for _, r := range windowref.Eval(w, ref) {
		out = append(out, row(r))
	}
	return out
}

// TestSemanticsWindows puts Windows with functions whose values do not
// depend on the order among peers over random plans, with random filters
// above (some on partition keys, which may go below, some on other and on
// window columns, which may not), and checks that no rule changes the
// results.
func TestSemanticsWindows(t *testing.T) {
	plans := 300
	if testing.Short() {
		plans = 40
	}
	for seed := range plans {
		r := rand.New(rand.NewPCG(uint64(seed), 99))
		g := &planGen{r: r}
		in := g.node(3)
		s := in.Schema()
		var part []*expr.Expr
		for range r.IntN(3) {
			part = append(part, g.anyCol(s))
		}
		var order []logical.SortKey
		if r.IntN(3) > 0 {
			order = append(order, logical.SortKey{Expr: g.anyCol(s), Desc: r.IntN(2) == 0, NullsFirst: r.IntN(2) == 0})
		}
		specs := []logical.WindowFuncSpec{{Name: "rank", Alias: g.name()}, {Name: "count", Star: true, Alias: g.name()},
			{Name: "max", Args: []*expr.Expr{g.anyCol(s)}, Alias: g.name()}}
		if ic := g.intCol(s); ic != nil {
			specs = append(specs, logical.WindowFuncSpec{Name: "sum", Args: []*expr.Expr{ic}, Alias: g.name()})
		}
		w, err := logical.NewWindow(in, part, order, specs, nil)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		var top logical.Node = w
		for range 1 + r.IntN(2) {
			pred := g.pred(w.Schema(), 1)
			if len(part) > 0 && r.IntN(2) == 0 {
				pred = and(pred, isNull(part[0]))
				if r.IntN(2) == 0 {
					pred = not(isNull(part[0]))
				}
			}
			top = filter(top, pred)
		}
		if r.IntN(2) == 0 {
			top = g.project(top)
		}
		p := planOf(write(top))
		data := randomData(r)
		want := sortedKeys(run(p.Sinks[0], data))
		steps, err := OptimizeTrace(p, Config{})
		if err != nil {
			t.Fatalf("seed %d: %v\n%s", seed, err, logical.FormatPlan(p))
		}
		for _, st := range steps {
			if got := sortedKeys(run(st.Plan.Sinks[0], data)); !slices.Equal(got, want) {
				t.Fatalf("seed %d: results differ after %s\nplan before:\n%s\nafter:\n%s\ngot  %v\nwant %v",
					seed, st.Rule, logical.FormatPlan(p), logical.FormatPlan(st.Plan), got, want)
			}
		}
	}
}
