package eval

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// checkSet evaluates es as a Set and one by one over f (plain and with
// dictionary strings) and wants the same rows, and slots shared subtrees.
func checkSet(t *testing.T, f fixture, es []*expr.Expr, slots int) {
	t.Helper()
	for _, dict := range []bool{false, true} {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		rec := f.record(mem, dict)
		set, err := CompileSet(es, Options{Mem: mem})
		if err != nil {
			t.Fatal(err)
		}
		if set.slots != slots {
			t.Errorf("dict=%v: %d shared subtrees, want %d", dict, set.slots, slots)
		}
		for round := 0; round < 2; round++ { // memo state must not leak between calls
			got, err := set.Eval(context.Background(), rec)
			if err != nil {
				t.Fatalf("dict=%v: %v", dict, err)
			}
			for i, e := range es {
				ev, err := Compile(e, Options{Mem: mem})
				if err != nil {
					t.Fatal(err)
				}
				want, err := ev.Eval(context.Background(), rec)
				if err != nil {
					t.Fatalf("%s: %v", e, err)
				}
				if g, w := render(got[i]), render(want); !slices.Equal(g, w) {
					t.Errorf("dict=%v %s: set %v, alone %v", dict, e, g, w)
				}
				if !canonical(got[i].DataType(), e.Type) {
					t.Errorf("%s: result type %s", e, got[i].DataType())
				}
				want.Release()
				got[i].Release()
			}
		}
		rec.Release()
		mem.AssertSize(t, 0)
	}
}

var setFixture = fixture{
	types: []types.Type{types.DecimalOf(12, 2), types.DecimalOf(12, 2), types.DecimalOf(12, 2), strT, i64T},
	rows: [][]any{
		{"100.00", "20.50", nil, "7.25", "0.01"},
		{"0.05", nil, "0.10", "0.00", "1.00"},
		{"0.02", "0.08", "0.01", nil, "0.50"},
		{"ab", nil, "ab", "x", "cd"},
		{1, 2, nil, 0, 5},
	},
}

func TestSetSharesQ1Arguments(t *testing.T) {
	d := types.DecimalOf(12, 2)
	one := ldec("1", 12, 2)
	disc := func() *expr.Expr {
		return fn(expr.FnMul, types.DecimalOf(26, 4), bcol(0, d), fn(expr.FnSub, types.DecimalOf(13, 2), one, bcol(1, d)))
	}
	charge := fn(expr.FnMul, types.DecimalOf(38, 6), disc(), fn(expr.FnAdd, types.DecimalOf(13, 2), one, bcol(2, d)))
	es := []*expr.Expr{bcol(0, d), disc(), charge, bcol(0, d)}
	// disc and (1 - c1), which disc's memo hides, each get one slot.
	checkSet(t, setFixture, es, 2)
}

func TestSetSharesStringsAndNulls(t *testing.T) {
	up := func() *expr.Expr { return fn(expr.FnUpper, strT, bcol(3, strT)) }
	es := []*expr.Expr{
		up(),
		fn(expr.FnConcat, strT, up(), lstr("!")),
		fn(expr.FnIsNull, boolT, up()),
		fn(expr.FnAdd, i64T, bcol(4, i64T), li64(1)),
		fn(expr.FnMul, i64T, fn(expr.FnAdd, i64T, bcol(4, i64T), li64(1)), fn(expr.FnAdd, i64T, bcol(4, i64T), li64(1))),
	}
	checkSet(t, setFixture, es, 2)
}

// A subtree in CASE branches (or later COALESCE/AND/OR operands) is not
// shared: here cast(c3 AS int64) fails on rows the branches never take.
func TestSetKeepsConditionalSubtreesLazy(t *testing.T) {
	cast := func() *expr.Expr { return fn(expr.FnCast, i64T, bcol(0, strT)) }
	numeric := func() *expr.Expr {
		return fn(expr.FnOr, boolT, fn(expr.FnEq, boolT, bcol(0, strT), lstr("0")), fn(expr.FnEq, boolT, bcol(0, strT), lstr("7")))
	}
	f := fixture{types: []types.Type{strT}, rows: [][]any{{"7", "x", nil, "0", "y"}}}
	es := []*expr.Expr{
		fn(expr.FnCase, i64T, numeric(), cast(), li64(-1)),
		fn(expr.FnCase, i64T, numeric(), fn(expr.FnAdd, i64T, cast(), li64(1)), li64(-2)),
		fn(expr.FnCoalesce, i64T, fn(expr.FnCase, i64T, numeric(), lnull(i64T), li64(0)), cast()),
		fn(expr.FnAnd, boolT, lbool(false), fn(expr.FnEq, boolT, cast(), li64(7))),
	}
	// Only the CASE conditions (evaluated for every row) are shared, with
	// their first OR operand.
	checkSet(t, f, es, 2)
	if got := render(mustEvalSet(t, f, es)[1]); !slices.Equal(got, []string{"8", "-2", "-2", "1", "-2"}) {
		t.Errorf("case = %v", got)
	}

	// The same cast unconditionally fails, with the expression's index.
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := f.record(mem, false)
	defer rec.Release()
	set, err := CompileSet(append(es, cast()), Options{Mem: mem})
	if err != nil {
		t.Fatal(err)
	}
	_, err = set.Eval(context.Background(), rec)
	var se *SetError
	if !errors.As(err, &se) || se.Index != len(es) {
		t.Fatalf("err = %v, want a SetError at %d", err, len(es))
	}
	if !strings.Contains(err.Error(), "x") {
		t.Errorf("err = %v", err)
	}
}

func mustEvalSet(t *testing.T, f fixture, es []*expr.Expr) []arrow.Array {
	t.Helper()
	rec := f.record(memory.DefaultAllocator, false)
	defer rec.Release()
	set, err := CompileSet(es, Options{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := set.Eval(context.Background(), rec)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
