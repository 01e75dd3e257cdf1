package eval

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// mixedFixture has n random rows (about 1 in 5 NULL) of int64, float64,
// decimal(9,2), string, bool and date.
func mixedFixture(n int) fixture {
	r := rand.New(rand.NewPCG(7, 8))
	f := fixture{types: []types.Type{i64T, f64T, types.DecimalOf(9, 2), strT, boolT, dateT}, rows: make([][]any, 6)}
	words := []string{"apple", "Äpfel", "banana", "cherry", "日本"}
	for range n {
		vals := []any{
			r.IntN(200) - 100, r.Float64()*10 - 5, fmt.Sprintf("%d.%02d", r.IntN(1000)-500, r.IntN(100)),
			words[r.IntN(len(words))], r.IntN(2) == 0, fmt.Sprintf("2020-%02d-%02d", r.IntN(12)+1, r.IntN(28)+1),
		}
		for c, v := range vals {
			if r.IntN(5) == 0 {
				v = nil
			}
			f.rows[c] = append(f.rows[c], v)
		}
	}
	return f
}

func mixedExprs() []*expr.Expr {
	d := types.DecimalOf(9, 2)
	a, x, m, s, b, dt := bcol(0, i64T), bcol(1, f64T), bcol(2, d), bcol(3, strT), bcol(4, boolT), bcol(5, dateT)
	return []*expr.Expr{
		fn(expr.FnAnd, boolT, b, fn(expr.FnGt, boolT, a, li64(0))),
		fn(expr.FnOr, boolT, fn(expr.FnNot, boolT, b), fn(expr.FnLt, boolT, x, lf64(0))),
		fn(expr.FnAdd, i64T, a, fn(expr.FnMul, i64T, a, li64(3))),
		fn(expr.FnDiv, f64T, x, cast(a, f64T)),
		fn(expr.FnMul, types.DecimalOf(19, 4), m, m),
		fn(expr.FnLike, boolT, s, lstr("%an%")),
		fn(expr.FnUpper, strT, s),
		fn(expr.FnSubstr, strT, s, li64(2), li64(3)),
		fn(expr.FnCase, strT, b, s, fn(expr.FnGt, boolT, a, li64(50)), lstr("big"), cast(a, strT)),
		fn(expr.FnCoalesce, i64T, a, cast(fn(expr.FnLength, i64T, s), i64T), li64(-1)),
		fn(expr.FnIn, boolT, s, lstr("apple"), lstr("日本"), lnull(strT)),
		fn(expr.FnIsNull, boolT, m),
		fn(expr.FnYear, i32T, dt),
		fn(expr.FnDateTrunc, dateT, lstr("week"), dt),
		fn(expr.FnNullIf, strT, s, lstr("banana")),
		cast(m, strT),
		cast(x, types.DecimalOf(9, 2)),
	}
}

// TestSlicedInputs evaluates over a slice whose offset is not a multiple
// of 8 and compares with the same rows of the whole batch.
func TestSlicedInputs(t *testing.T) {
	f := mixedFixture(61)
	for _, dict := range []bool{false, true} {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		full := f.record(mem, dict)
		part := full.NewSlice(13, 50)
		for _, e := range mixedExprs() {
			ev, err := Compile(e, Options{Mem: mem})
			if err != nil {
				t.Fatalf("%s: %v", e, err)
			}
			whole := evalRendered(t, ev, full)
			got := evalRendered(t, ev, part)
			if strings.Join(got, "|") != strings.Join(whole[13:50], "|") {
				t.Errorf("dict=%v %s on slice:\n got %v\nwant %v", dict, e, got, whole[13:50])
			}
		}
		part.Release()
		full.Release()
		mem.AssertSize(t, 0)
	}
}

// TestEmptyBatch runs every expression on zero rows.
func TestEmptyBatch(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	full := mixedFixture(4).record(mem, false)
	defer full.Release()
	empty := full.NewSlice(0, 0)
	defer empty.Release()
	for _, e := range mixedExprs() {
		ev, err := Compile(e, Options{Mem: mem})
		if err != nil {
			t.Fatal(err)
		}
		if got := evalRendered(t, ev, empty); len(got) != 0 {
			t.Errorf("%s: %d rows", e, len(got))
		}
		out, err := Filter(context.Background(), empty, mustCompile(t, fn(expr.FnIsNull, boolT, bcol(0, i64T))))
		if err != nil || out.NumRows() != 0 {
			t.Fatalf("filter empty: %v", err)
		}
		out.Release()
	}
}

func mustCompile(t *testing.T, e *expr.Expr) *Evaluator {
	t.Helper()
	ev, err := Compile(e, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func evalRendered(t *testing.T, ev *Evaluator, rec arrow.RecordBatch) []string {
	t.Helper()
	res, err := ev.Eval(context.Background(), rec)
	if err != nil {
		t.Fatalf("%s: %v", ev, err)
	}
	defer res.Release()
	return render(res)
}

// TestConcurrentEval shares evaluators between goroutines (run with -race).
func TestConcurrentEval(t *testing.T) {
	f := mixedFixture(300)
	rec := f.record(memory.NewGoAllocator(), true)
	defer rec.Release()
	var evs []*Evaluator
	var want [][]string
	for _, e := range mixedExprs() {
		ev := mustCompile(t, e)
		evs = append(evs, ev)
		want = append(want, evalRendered(t, ev, rec))
	}
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			for i, ev := range evs {
				res, err := ev.Eval(context.Background(), rec)
				if err == nil && strings.Join(render(res), "|") != strings.Join(want[i], "|") {
					err = fmt.Errorf("%s differs under concurrency", ev)
				}
				if res != nil {
					res.Release()
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestGatherMatchesValueAt filters every column type, plain and
// dictionary, by random masks and checks each kept cell.
func TestGatherMatchesValueAt(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	f := mixedFixture(203)
	for _, dict := range []bool{false, true} {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		full := f.record(mem, dict)
		rec := full.NewSlice(5, 203)
		b := newBatch(context.Background(), nil, int(rec.NumRows()), &Options{Mem: mem})
		for _, density := range []int{1, 50, 95} {
			var idx []int32
			for i := range int(rec.NumRows()) {
				if r.IntN(100) < density {
					idx = append(idx, int32(i))
				}
			}
			out, err := gatherRecord(b, rec, idx)
			if err != nil {
				t.Fatal(err)
			}
			for c := range int(rec.NumCols()) {
				for j, i := range idx {
					if got, want := ValueAt(out.Column(c), j), ValueAt(rec.Column(c), int(i)); got != want {
						t.Fatalf("dict=%v col %d row %d: %s, want %s", dict, c, i, got, want)
					}
				}
			}
			out.Release()
		}
		rec.Release()
		full.Release()
		mem.AssertSize(t, 0)
	}
}
