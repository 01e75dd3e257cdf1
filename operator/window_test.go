package operator

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/plan/physical"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/internal/windowref"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

func pox(rows ...[3]types.Value) winInput {
	in := winInput{schema: int64Schema("p", "o", "x")}
	for _, r := range rows {
		in.rows = append(in.rows, windowref.Row{r[0], r[1], r[2]})
	}
	return in
}

func r3(p, o, x types.Value) [3]types.Value { return [3]types.Value{p, o, x} }

func byO(in winInput, desc, nullsFirst bool) []logical.SortKey {
	return []logical.SortKey{{Expr: expr.Col("", "o"), Desc: desc, NullsFirst: nullsFirst}}
}

func spec(name, alias string, args ...*expr.Expr) logical.WindowFuncSpec {
	return logical.WindowFuncSpec{Name: name, Alias: alias, Args: args}
}

func withFrame(s logical.WindowFuncSpec, fr *logical.WindowFrame) logical.WindowFuncSpec {
	s.Frame = fr
	return s
}

func lit(i int64) *expr.Expr { return expr.Lit(types.Int64Value(i)) }

// TestWindowTable checks hand-computed answers at the edges: peers, NULL
// order keys, one-row partitions, partition ends, uneven ntile buckets,
// lag/lead defaults, RANGE offsets around NULLs, GROUPS frames.
func TestWindowTable(t *testing.T) {
	x := expr.Col("", "x")
	ignore := func(s logical.WindowFuncSpec) logical.WindowFuncSpec { s.IgnoreNulls = true; return s }
	rows := logical.FrameRows
	cases := []struct {
		name  string
		in    winInput
		part  []string
		order func(winInput) []logical.SortKey
		funcs []logical.WindowFuncSpec
		want  []string
	}{
		{
			name: "ranking with peers and NULL keys",
			in: pox(r3(iv(1), iv(1), iv(10)), r3(iv(1), iv(1), iv(20)), r3(iv(1), iv(2), nv()), r3(iv(1), nv(), iv(5)),
				r3(iv(2), iv(5), iv(7)), r3(nv(), iv(3), iv(1))),
			part:  []string{"p"},
			order: func(in winInput) []logical.SortKey { return byO(in, false, false) },
			funcs: []logical.WindowFuncSpec{spec("row_number", "rn"), spec("rank", "rk"), spec("dense_rank", "dr"),
				spec("percent_rank", "pr"), spec("cume_dist", "cd")},
			want: []string{
				"1,1,10,1,1,1,0,0.5", "1,1,20,2,1,1,0,0.5", "1,2,NULL,3,3,2,0.666666667,0.75", "1,NULL,5,4,4,3,1,1",
				"2,5,7,1,1,1,0,1", "NULL,3,1,1,1,1,0,1",
			},
		},
		{
			name: "ntile with uneven buckets",
			in: pox(r3(iv(1), iv(1), iv(0)), r3(iv(1), iv(2), iv(0)), r3(iv(1), iv(3), iv(0)), r3(iv(1), iv(4), iv(0)),
				r3(iv(1), iv(5), iv(0)), r3(iv(1), iv(6), iv(0)), r3(iv(1), iv(7), iv(0)),
				r3(iv(2), iv(1), iv(0)), r3(iv(2), iv(2), iv(0)), r3(iv(2), iv(3), iv(0))),
			part:  []string{"p"},
			order: func(in winInput) []logical.SortKey { return byO(in, false, false) },
			funcs: []logical.WindowFuncSpec{spec("ntile", "n3", lit(3)), spec("ntile", "n10", lit(10))},
			want: []string{"1,1,0,1,1", "1,2,0,1,2", "1,3,0,1,3", "1,4,0,2,4", "1,5,0,2,5", "1,6,0,3,6", "1,7,0,3,7",
				"2,1,0,1,1", "2,2,0,2,2", "2,3,0,3,3"},
		},
		{
			name:  "lag and lead with defaults and IGNORE NULLS",
			in:    pox(r3(iv(1), iv(1), iv(10)), r3(iv(1), iv(2), nv()), r3(iv(1), iv(3), iv(30)), r3(iv(1), iv(4), iv(40)), r3(iv(2), iv(1), iv(5))),
			part:  []string{"p"},
			order: func(in winInput) []logical.SortKey { return byO(in, false, false) },
			funcs: []logical.WindowFuncSpec{spec("lag", "l1", x), spec("lag", "l2", x, lit(2), lit(-1)),
				spec("lead", "d1", x, lit(1), lit(0)), ignore(spec("lead", "di", x)), ignore(spec("lag", "li", x))},
			want: []string{"1,1,10,NULL,-1,NULL,30,NULL", "1,2,NULL,10,-1,30,30,10", "1,3,30,NULL,10,40,40,10",
				"1,4,40,30,NULL,0,NULL,30", "2,1,5,NULL,-1,0,NULL,NULL"},
		},
		{
			name:  "ROWS frames at partition edges",
			in:    pox(r3(iv(1), iv(1), iv(1)), r3(iv(1), iv(2), iv(2)), r3(iv(1), iv(3), iv(3)), r3(iv(2), iv(1), iv(10))),
			part:  []string{"p"},
			order: func(in winInput) []logical.SortKey { return byO(in, false, false) },
			funcs: []logical.WindowFuncSpec{
				withFrame(spec("sum", "s", x), frame(rows, logical.Preceding, 1, logical.Following, 1)),
				withFrame(spec("min", "mn", x), frame(rows, logical.Preceding, 1, logical.Following, 1)),
				withFrame(logical.WindowFuncSpec{Name: "count", Star: true, Alias: "c"}, frame(rows, logical.Following, 2, logical.UnboundedFollowing, 0)),
				withFrame(spec("sum", "s2", x), frame(rows, logical.Following, 2, logical.UnboundedFollowing, 0)),
				spec("first_value", "fv", x), spec("last_value", "lv", x),
			},
			want: []string{"1,1,1,3,1,1,3,1,1", "1,2,2,6,1,0,NULL,1,2", "1,3,3,5,2,0,NULL,1,3", "2,1,10,10,10,0,NULL,10,10"},
		},
		{
			name: "RANGE offsets around NULL keys",
			in: pox(r3(iv(1), iv(1), iv(1)), r3(iv(1), iv(2), iv(2)), r3(iv(1), iv(4), iv(4)), r3(iv(1), iv(7), iv(7)),
				r3(iv(1), nv(), iv(100)), r3(iv(1), nv(), iv(200))),
			part:  []string{"p"},
			order: func(in winInput) []logical.SortKey { return byO(in, false, false) },
			funcs: []logical.WindowFuncSpec{withFrame(spec("sum", "s", x), frame(logical.FrameRange, logical.Preceding, 2, logical.Following, 1))},
			want:  []string{"1,1,1,3", "1,2,2,3", "1,4,4,6", "1,7,7,7", "1,NULL,100,300", "1,NULL,200,300"},
		},
		{
			name: "RANGE offsets descending",
			in: pox(r3(iv(1), iv(1), iv(1)), r3(iv(1), iv(2), iv(2)), r3(iv(1), iv(4), iv(4)), r3(iv(1), iv(7), iv(7)),
				r3(iv(1), nv(), iv(100))),
			part:  []string{"p"},
			order: func(in winInput) []logical.SortKey { return byO(in, true, false) },
			funcs: []logical.WindowFuncSpec{withFrame(spec("sum", "s", x), frame(logical.FrameRange, logical.Preceding, 2, logical.Following, 1))},
			want:  []string{"1,7,7,7", "1,4,4,4", "1,2,2,7", "1,1,1,3", "1,NULL,100,100"},
		},
		{
			name: "RANGE up to n PRECEDING with NULLS FIRST",
			in: pox(r3(iv(1), iv(1), iv(1)), r3(iv(1), iv(2), iv(2)), r3(iv(1), iv(4), iv(4)), r3(iv(1), iv(7), iv(7)),
				r3(iv(1), nv(), iv(100)), r3(iv(1), nv(), iv(200))),
			part:  []string{"p"},
			order: func(in winInput) []logical.SortKey { return byO(in, false, true) },
			funcs: []logical.WindowFuncSpec{withFrame(logical.WindowFuncSpec{Name: "count", Star: true, Alias: "c"},
				frame(logical.FrameRange, logical.UnboundedPreceding, 0, logical.Preceding, 1))},
			want: []string{"1,NULL,100,2", "1,NULL,200,2", "1,1,1,2", "1,2,2,3", "1,4,4,4", "1,7,7,5"},
		},
		{
			name: "GROUPS frame",
			in: pox(r3(iv(1), iv(1), iv(1)), r3(iv(1), iv(1), iv(2)), r3(iv(1), iv(2), iv(3)), r3(iv(1), iv(3), iv(4)),
				r3(iv(1), iv(3), iv(5)), r3(iv(1), iv(3), iv(6)), r3(iv(1), iv(5), iv(7))),
			part:  []string{"p"},
			order: func(in winInput) []logical.SortKey { return byO(in, false, false) },
			funcs: []logical.WindowFuncSpec{withFrame(spec("sum", "s", x), frame(logical.FrameGroups, logical.Preceding, 1, logical.CurrentRow, 0))},
			want:  []string{"1,1,1,3", "1,1,2,3", "1,2,3,6", "1,3,4,18", "1,3,5,18", "1,3,6,18", "1,5,7,22"},
		},
		{
			name:  "all-NULL arguments and no ORDER BY",
			in:    pox(r3(iv(1), iv(1), nv()), r3(iv(1), iv(2), nv()), r3(iv(2), iv(1), iv(4))),
			part:  []string{"p"},
			order: func(winInput) []logical.SortKey { return nil },
			funcs: []logical.WindowFuncSpec{spec("sum", "s", x), spec("count", "c", x), spec("avg", "a", x), spec("rank", "rk")},
			want:  []string{"1,1,NULL,NULL,0,NULL,1", "1,2,NULL,NULL,0,NULL,1", "2,1,4,4,1,4,1"},
		},
		{
			name:  "empty input",
			in:    pox(),
			part:  []string{"p"},
			order: func(in winInput) []logical.SortKey { return byO(in, false, false) },
			funcs: []logical.WindowFuncSpec{spec("lead", "l", x), spec("row_number", "rn")},
		},
	}
	for _, c := range cases {
		for _, rows := range []int{1, 2, 1000} {
			t.Run(fmt.Sprintf("%s/batch=%d", c.name, rows), func(t *testing.T) {
				w := newTestWindow(t, c.in, c.part, c.order(c.in), c.funcs)
				got, err := runWindowOp(t, c.in, w, rows, nil)
				if err != nil {
					t.Fatal(err)
				}
				mustEqual(t, render(got), c.want)
				mustEqual(t, render(got), render(windowref.Eval(w, c.in.rows)))
			})
		}
	}
}

// TestWindowStreamsWithoutPartitions runs functions that look back, or a
// bounded number of rows ahead, over one big partition under a memory
// budget far below its size: they must stream. A function that needs the whole partition must fail instead,
// with an error that says what to do.
func TestWindowStreamsWithoutPartitions(t *testing.T) {
	const n = 60000
	in := winInput{schema: int64Schema("p", "o", "x")}
	for i := range n {
		in.rows = append(in.rows, windowref.Row{iv(0), iv(int64(n - i)), iv(int64(i % 7))})
	}
	x := expr.Col("", "x")
	streaming := []logical.WindowFuncSpec{spec("row_number", "rn"), spec("rank", "rk"), spec("lag", "lg", x, lit(5)),
		spec("sum", "run", x), withFrame(spec("max", "mx", x), frame(logical.FrameRows, logical.Preceding, 10, logical.CurrentRow, 0)),
		spec("first_value", "fv", x), spec("lead", "ld", x, lit(2)),
		withFrame(spec("sum", "ctr", x), frame(logical.FrameRows, logical.Preceding, 3, logical.Following, 3))}
	w := newTestWindow(t, in, nil, byO(in, false, false), streaming)
	env := &Env{MemoryBytes: 256 << 10}
	got, err := runWindowOp(t, in, w, 1024, env)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n {
		t.Fatalf("%d rows, want %d", len(got), n)
	}
	// Sorted by o ascending, row k holds input row n-1-k.
	xs := func(k int) int64 { return int64((n - 1 - k) % 7) }
	run := int64(0)
	for k, r := range got {
		run += xs(k)
		lag := "NULL"
		if k >= 5 {
			lag = fmt.Sprint(xs(k - 5))
		}
		mx := int64(0)
		for j := max(0, k-10); j <= k; j++ {
			mx = max(mx, xs(j))
		}
		lead := "NULL"
		if k+2 < n {
			lead = fmt.Sprint(xs(k + 2))
		}
		ctr := int64(0)
		for j := max(0, k-3); j <= min(n-1, k+3); j++ {
			ctr += xs(j)
		}
		want := fmt.Sprintf("0,%d,%d,%d,%d,%s,%d,%d,%d,%s,%d", k+1, xs(k), k+1, k+1, lag, run, mx, xs(0), lead, ctr)
		if got := render([]windowref.Row{r})[0]; got != want {
			t.Fatalf("row %d: got %s, want %s", k, got, want)
		}
	}

	whole := frame(logical.FrameRows, logical.UnboundedPreceding, 0, logical.UnboundedFollowing, 0)
	buffered := newTestWindow(t, in, nil, byO(in, false, false), []logical.WindowFuncSpec{withFrame(spec("sum", "tot", x), whole)})
	_, err = runWindowOp(t, in, buffered, 1024, &Env{MemoryBytes: 256 << 10})
	if !errors.Is(err, ErrWindowMemory) || !strings.Contains(err.Error(), "PARTITION BY") || !strings.Contains(err.Error(), "sum AS tot") {
		t.Fatalf("want a memory error naming sum and PARTITION BY, got %v", err)
	}
}

// TestWindowCountsSlicesByTheirRows: a sort emits its output as slices of
// one sorted run; a buffering window must count each slice's rows, not
// the whole run, or it fails partitions that fit easily.
func TestWindowCountsSlicesByTheirRows(t *testing.T) {
	const n = 100000
	in := winInput{schema: int64Schema("p", "o", "x")}
	for i := range n {
		in.rows = append(in.rows, windowref.Row{iv(int64(i / 100)), iv(int64(i)), iv(int64(i % 5))})
	}
	w := newTestWindow(t, in, []string{"p"}, byO(in, false, false), []logical.WindowFuncSpec{spec("lead", "ld", expr.Col("", "x"))})
	got, err := runWindowOp(t, in, w, 1024, &Env{MemoryBytes: 6 << 20, BatchRows: 1024})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n {
		t.Fatalf("%d rows, want %d", len(got), n)
	}
}

// TestWindowSpillsPassThroughColumns holds one partition whole (cume_dist)
// with wide input rows under a budget that fits the order key but not the
// rows: the passed-through columns must go to disk and come back intact.
func TestWindowSpillsPassThroughColumns(t *testing.T) {
	const n = 30000
	s := &types.Schema{Fields: []types.Field{{Name: "o", Type: types.Int64Type}, {Name: "wide", Type: types.StringType}}}
	in := winInput{schema: s}
	pad := strings.Repeat("x", 200)
	for i := range n {
		in.rows = append(in.rows, windowref.Row{iv(int64(i + 1)), sv(fmt.Sprintf("%d%s", i+1, pad))})
	}
	w := newTestWindow(t, in, nil, []logical.SortKey{{Expr: expr.Col("", "o")}}, []logical.WindowFuncSpec{spec("cume_dist", "cd")})
	env := &Env{Pool: memory.NewPool(2 << 20), TempDir: t.TempDir(), BatchRows: 4096}
	spec := &physical.WindowSpec{OrderBy: w.OrderBy, Funcs: w.Funcs}
	node := &physical.Node{Op: physical.OpWindow, Inputs: []*physical.Node{{Schema: s}}, Schema: w.Schema(), Window: spec}
	op, err := newWindow(node, source(s, in.batches(4096)...), env) // the input is already sorted
	if err != nil {
		t.Fatal(err)
	}
	recs, err := batch.ReadAll(context.Background(), op)
	if err != nil {
		t.Fatal(err)
	}
	k := 0
	for _, rec := range recs {
		for i := range int(rec.NumRows()) {
			o := int64(k + 1)
			got := fmt.Sprint(eval.ValueAt(rec.Column(0), i).I, eval.ValueAt(rec.Column(1), i).S, eval.ValueAt(rec.Column(2), i).F)
			if want := fmt.Sprint(o, fmt.Sprintf("%d%s", o, pad), float64(k+1)/n); got != want {
				t.Fatalf("row %d: got %.40s, want %.40s", k, got, want)
			}
			k++
		}
		rec.Release()
	}
	if k != n {
		t.Fatalf("%d rows, want %d", k, n)
	}
	if env.Spilled.Load() == 0 {
		t.Fatal("the window spilled nothing")
	}
	if left, _ := os.ReadDir(env.TempDir); len(left) > 0 {
		t.Fatalf("spill files left behind: %d", len(left))
	}
	if held := env.Pool.Held(); held != 0 {
		t.Fatalf("the pool holds %d bytes after the window", held)
	}
}
