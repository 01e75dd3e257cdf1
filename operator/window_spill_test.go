package operator

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/internal/windowref"
	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/task"
	"github.com/drover-etl/drover/types"
)

// windowSpillInput is n rows (p, o, id, x, pad): parts partitions, order
// keys with ties and NULLs, a unique id, a nullable argument and a wide
// column that is only passed through, so the data is far larger than the
// test budgets.
func windowSpillInput(n, parts int) winInput {
	rng := rand.New(rand.NewPCG(10, 10))
	s := &types.Schema{Fields: []types.Field{
		{Name: "p", Type: types.Int64Type}, {Name: "o", Type: types.Int64Type, Nullable: true},
		{Name: "id", Type: types.Int64Type}, {Name: "x", Type: types.Int64Type, Nullable: true},
		{Name: "pad", Type: types.StringType},
	}}
	in := winInput{schema: s}
	pad := strings.Repeat("w", 120)
	for i := range n {
		o, x := iv(int64(rng.IntN(40))), iv(int64(rng.IntN(1000)-300))
		if rng.IntN(9) == 0 {
			o = nv()
		}
		if rng.IntN(7) == 0 {
			x = nv()
		}
		in.rows = append(in.rows, windowref.Row{iv(int64(rng.IntN(parts))), o, iv(int64(i)), x, sv(fmt.Sprintf("%d%s", i, pad))})
	}
	return in
}

// windowSpillFuncs is one case per kind of window function the operator
// evaluates, over frames of every shape: ranks, offsets, frame values and
// aggregates (sliding, running, whole partition, RANGE and GROUPS).
func windowSpillFuncs() []struct {
	name  string
	funcs []logical.WindowFuncSpec
} {
	x := expr.Col("", "x")
	rows, rng, groups := logical.FrameRows, logical.FrameRange, logical.FrameGroups
	whole := frame(rows, logical.UnboundedPreceding, 0, logical.UnboundedFollowing, 0)
	running := frame(rows, logical.UnboundedPreceding, 0, logical.CurrentRow, 0)
	sliding := frame(rows, logical.Preceding, 5, logical.Following, 3)
	ign := func(s logical.WindowFuncSpec) logical.WindowFuncSpec { s.IgnoreNulls = true; return s }
	distinct := func(s logical.WindowFuncSpec) logical.WindowFuncSpec { s.Distinct = true; return s }
	star := logical.WindowFuncSpec{Name: "count", Alias: "c", Star: true}
	return []struct {
		name  string
		funcs []logical.WindowFuncSpec
	}{
		{"ranks", []logical.WindowFuncSpec{spec("row_number", "rn"), spec("rank", "rk"), spec("dense_rank", "dr")}},
		{"relative ranks", []logical.WindowFuncSpec{spec("percent_rank", "pr"), spec("cume_dist", "cd")}},
		{"ntile", []logical.WindowFuncSpec{spec("ntile", "nt", lit(7))}},
		{"lag lead", []logical.WindowFuncSpec{spec("lag", "lg", x, lit(3), lit(-1)), spec("lead", "ld", x, lit(2)), ign(spec("lag", "lgi", x))}},
		{"running sum", []logical.WindowFuncSpec{withFrame(spec("sum", "s", x), running), withFrame(spec("avg", "a", x), running)}},
		{"sliding", []logical.WindowFuncSpec{withFrame(spec("max", "mx", x), sliding), withFrame(spec("min", "mn", x), sliding), withFrame(spec("count", "n", x), sliding)}},
		{"whole partition", []logical.WindowFuncSpec{withFrame(spec("sum", "t", x), whole), withFrame(star, whole), withFrame(distinct(spec("count", "cd", x)), whole)}},
		{"frame values", []logical.WindowFuncSpec{withFrame(spec("first_value", "fv", x), sliding), withFrame(spec("last_value", "lv", x), whole),
			withFrame(spec("nth_value", "nv", x, lit(3)), running), ign(withFrame(spec("last_value", "lvi", x), running))}},
		{"range and groups", []logical.WindowFuncSpec{withFrame(spec("sum", "rs", x), frame(rng, logical.Preceding, 3, logical.Following, 2)),
			withFrame(spec("max", "gm", x), frame(groups, logical.Preceding, 1, logical.CurrentRow, 0)), spec("sum", "peers", x)}},
	}
}

// TestWindowSpillMatchesUnspilled runs every kind of window function,
// with the sort the planner puts below it, under a 256 KiB pool over
// ~3 MiB of rows in many partitions, and checks the answers equal an
// unbounded run's, that the task spilled, and that it gave back its memory
// and temp files.
func TestWindowSpillMatchesUnspilled(t *testing.T) {
	in := windowSpillInput(20000, 50)
	for _, c := range windowSpillFuncs() {
		t.Run(c.name, func(t *testing.T) {
			order := []logical.SortKey{{Expr: expr.Col("", "o"), NullsFirst: true}}
			if c.name != "range and groups" { // the rest need a total order for one answer
				order = append(order, logical.SortKey{Expr: expr.Col("", "id"), Desc: true})
			}
			w := newTestWindow(t, in, []string{"p"}, order, c.funcs)
			want, err := runWindowOp(t, in, w, 1000, nil)
			if err != nil {
				t.Fatal(err)
			}
			pool := memory.NewPool(256 << 10)
			env := &Env{Pool: pool, TempDir: t.TempDir()}
			got, err := runWindowOp(t, in, w, 1000, env)
			if err != nil {
				t.Fatalf("under %s: %v", mib(pool.Limit()), err)
			}
			assertSameRows(t, got, want)
			if env.Spilled.Load() == 0 {
				t.Fatal("nothing spilled under a 256 KiB pool")
			}
			if held := pool.Held(); held != 0 {
				t.Fatalf("the pool holds %d bytes after the task", held)
			}
			assertNoSpillFiles(t, env.TempDir)
		})
	}
}

// TestWindowOnePartitionOverBudget feeds the window operator itself (the
// input already sorted) one partition of ~4 MiB under a 1 MiB pool.
// Functions that stream (ranks, offsets, running and sliding frames) and
// those that hold the partition's order keys and arguments (which fit)
// answer as an unbounded run does, the latter by spilling the passed-through
// columns; a function whose argument itself does not fit fails fatally,
// naming the window operator, the functions and what to raise.
func TestWindowOnePartitionOverBudget(t *testing.T) {
	in := windowSpillInput(30000, 1)
	for _, r := range in.rows {
		r[0] = iv(0)
	}
	order := []logical.SortKey{{Expr: expr.Col("", "id")}} // the input order
	for _, c := range windowSpillFuncs() {
		if c.name == "range and groups" {
			continue // the ids make every peer group one row: covered above
		}
		t.Run(c.name, func(t *testing.T) {
			w := newTestWindow(t, in, nil, order, c.funcs)
			want, _, err := runPresortedWindow(t, in, w, &Env{})
			if err != nil {
				t.Fatal(err)
			}
			pool := memory.NewPool(1 << 20)
			got, env, err := runPresortedWindow(t, in, w, &Env{Pool: pool, TempDir: t.TempDir()})
			if err != nil {
				t.Fatalf("under %s: %v", mib(pool.Limit()), err)
			}
			assertSameRows(t, got, want)
			buffered := logical.WindowLookahead(w.Funcs) == logical.LookPartition
			if spilled := env.Spilled.Load() > 0; spilled != buffered {
				t.Fatalf("spilled %d bytes; want a spill only when a function needs the whole partition (%v)", env.Spilled.Load(), buffered)
			}
			if held := pool.Held(); held != 0 {
				t.Fatalf("the pool holds %d bytes after the task", held)
			}
			assertNoSpillFiles(t, env.TempDir)
		})
	}

	whole := frame(logical.FrameRows, logical.UnboundedPreceding, 0, logical.UnboundedFollowing, 0)
	w := newTestWindow(t, in, nil, order, []logical.WindowFuncSpec{withFrame(spec("last_value", "widest", expr.Col("", "pad")), whole)})
	pool := memory.NewPool(1 << 20)
	_, env, err := runPresortedWindow(t, in, w, &Env{Pool: pool, TempDir: t.TempDir()})
	if err == nil {
		t.Fatal("a partition whose argument is 4 MiB fit a 1 MiB pool")
	}
	t.Log(err)
	for _, want := range []string{"window: ", "rows", "last_value", "PARTITION BY", "--memory", "--task-memory", "Nomad"} {
		if !strings.Contains(err.Error(), want) {
			t.Fatalf("error %q does not say %q", err, want)
		}
	}
	if !errors.Is(err, ErrWindowMemory) || !errors.Is(err, memory.ErrExhausted) || task.ClassOf(err) != task.Fatal {
		t.Fatalf("want a fatal ErrWindowMemory wrapping ErrExhausted, got %v", err)
	}
	if held := pool.Held(); held != 0 {
		t.Fatalf("the pool holds %d bytes after the failed task", held)
	}
	assertNoSpillFiles(t, env.TempDir)
}

// runPresortedWindow runs the window operator straight over in's rows, in
// batches of 2048, as input already sorted by its keys.
func runPresortedWindow(t *testing.T, in winInput, w *logical.Window, env *Env) ([]windowref.Row, *Env, error) {
	t.Helper()
	env.BatchRows = 2048
	spec := &physical.WindowSpec{PartitionBy: w.PartitionBy, OrderBy: w.OrderBy, Funcs: w.Funcs, Lookahead: logical.WindowLookahead(w.Funcs)}
	node := &physical.Node{Op: physical.OpWindow, Inputs: []*physical.Node{{Schema: in.schema}}, Schema: w.Schema(), Window: spec}
	op, err := newWindow(node, source(in.schema, in.batches(2048)...), env)
	if err != nil {
		return nil, env, err
	}
	recs, err := batch.ReadAll(context.Background(), op) // closes op
	if err != nil {
		return nil, env, err
	}
	var out []windowref.Row
	for _, rec := range recs {
		for i := range int(rec.NumRows()) {
			r := make(windowref.Row, rec.NumCols())
			for c := range r {
				r[c] = eval.ValueAt(rec.Column(c), i)
			}
			out = append(out, r)
		}
		rec.Release()
	}
	return out, env, nil
}

// assertSameRows compares two results as sets of rendered rows.
func assertSameRows(t *testing.T, got, want []windowref.Row) {
	t.Helper()
	g, w := renderSorted(got), renderSorted(want)
	if len(g) != len(w) {
		t.Fatalf("%d rows, want %d", len(g), len(w))
	}
	for i := range g {
		if g[i] != w[i] {
			t.Fatalf("first difference at sorted row %d:\ngot  %.200s\nwant %.200s", i, g[i], w[i])
		}
	}
}

// TestWindowTakesItsShareWhenOthersHoldThePool: another operator holds the
// whole pool for now (it spills when next refused), so each partition the
// window must hold whole is refused even after its passed-through columns
// went to disk. Partitions that fit the window's fair share of the budget
// are kept anyway, and the answers equal an unbounded run's.
func TestWindowTakesItsShareWhenOthersHoldThePool(t *testing.T) {
	in := windowSpillInput(4000, 40)
	order := []logical.SortKey{{Expr: expr.Col("", "p")}, {Expr: expr.Col("", "id")}} // the input order below
	sortRows(in, 0, 2)
	w := newTestWindow(t, in, []string{"p"}, order[1:], []logical.WindowFuncSpec{spec("cume_dist", "cd"), spec("ntile", "nt", lit(3))})
	want, _, err := runPresortedWindow(t, in, w, &Env{})
	if err != nil {
		t.Fatal(err)
	}
	pool := memory.NewPool(1 << 20)
	other := pool.Consumer("sort", true)
	other.Grow(1 << 20)
	defer other.Free()
	got, _, err := runPresortedWindow(t, in, w, &Env{Pool: pool, TempDir: t.TempDir()})
	if err != nil {
		t.Fatalf("a window within its share failed while another operator held the pool: %v", err)
	}
	assertSameRows(t, got, want)
	if held := pool.Held(); held != 1<<20 {
		t.Fatalf("the pool holds %d bytes after the window, want the other operator's %d", held, 1<<20)
	}
}

// sortRows orders in's rows by two int64 columns.
func sortRows(in winInput, a, b int) {
	slices.SortFunc(in.rows, func(x, y windowref.Row) int {
		if c := cmp.Compare(x[a].I, y[a].I); c != 0 {
			return c
		}
		return cmp.Compare(x[b].I, y[b].I)
	})
}
