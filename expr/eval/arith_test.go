package eval

import (
	"context"
	"math"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

func TestIntArithmetic(t *testing.T) {
	f := fixture{
		types: []types.Type{i64T, i64T, i32T},
		rows:  [][]any{{7, -7, nil, math.MaxInt64}, {2, 0, 1, nil}, {-7, 3, 0, nil}},
	}
	a, b, c := bcol(0, i64T), bcol(1, i64T), bcol(2, i32T)
	runCases(t, f, []evalCase{
		{"add", fn(expr.FnAdd, i64T, a, b), []string{"9", "-7", "NULL", "NULL"}, ""},
		{"sub const", fn(expr.FnSub, i64T, a, li64(1)), []string{"6", "-8", "NULL", "9223372036854775806"}, ""},
		{"mul", fn(expr.FnMul, i64T, li64(3), b), []string{"6", "0", "3", "NULL"}, ""},
		{"mod sign of dividend, by zero NULL", fn(expr.FnMod, i64T, a, b), []string{"1", "NULL", "NULL", "NULL"}, ""},
		{"mod int32", fn(expr.FnMod, i32T, c, li32(2)), []string{"-1", "1", "0", "NULL"}, ""},
		{"neg", fn(expr.FnNeg, i64T, a), []string{"-7", "7", "NULL", "-9223372036854775807"}, ""},
		{"abs", fn(expr.FnAbs, i32T, c), []string{"7", "3", "0", "NULL"}, ""},
		{"add overflow", fn(expr.FnAdd, i64T, a, li64(1)), nil, "int64 add out of range (9223372036854775807 + 1)"},
		{"mul overflow", fn(expr.FnMul, i64T, a, li64(2)), nil, "int64 mul out of range"},
		{"sub overflow", fn(expr.FnSub, i64T, fn(expr.FnNeg, i64T, a), li64(2)), nil, "int64 sub out of range"},
		{"int32 mul overflow", fn(expr.FnMul, i32T, c, li32(math.MaxInt32)), nil, "int32 mul out of range"},
	})
}

func TestIntOverflowEdges(t *testing.T) {
	for _, tc := range []struct {
		x, y int64
		ok   bool
	}{
		{math.MinInt64, -1, false}, {math.MinInt64, 1, true}, {-1, math.MinInt64, false},
		{1 << 31, 1 << 31, true}, {1 << 32, 1 << 31, false}, {-(1 << 32), 1 << 31, true},
		{3037000499, 3037000499, true}, {3037000500, 3037000500, false}, {0, math.MinInt64, true},
	} {
		if _, ok := mul64Checked(tc.x, tc.y); ok != tc.ok {
			t.Errorf("mul64Checked(%d, %d) ok = %v", tc.x, tc.y, ok)
		}
	}
	if _, err := evalOne(t, fn(expr.FnNeg, i64T, li64(math.MinInt64))); err == nil {
		t.Error("neg(MinInt64) did not fail")
	}
	if _, err := evalOne(t, fn(expr.FnAbs, i32T, li32(math.MinInt32))); err == nil {
		t.Error("abs(MinInt32) did not fail")
	}
}

func TestFloatArithmetic(t *testing.T) {
	f := fixture{
		types: []types.Type{f64T, f64T, f32T},
		rows:  [][]any{{7.5, -1.0, nil, 1.0}, {2.0, 0.0, 1.0, negZero}, {1.5, 2.5, nil, 0.0}},
	}
	a, b := bcol(0, f64T), bcol(1, f64T)
	runCases(t, f, []evalCase{
		{"add", fn(expr.FnAdd, f64T, a, b), []string{"9.5", "-1", "NULL", "1"}, ""},
		{"div by zero is IEEE", fn(expr.FnDiv, f64T, a, b), []string{"3.75", "-Inf", "NULL", "-Inf"}, ""},
		{"div by const zero", fn(expr.FnDiv, f64T, a, lf64(0)), []string{"+Inf", "-Inf", "NULL", "+Inf"}, ""},
		{"mod", fn(expr.FnMod, f64T, a, lf64(2)), []string{"1.5", "-1", "NULL", "1"}, ""},
		{"float32 mul", fn(expr.FnMul, f32T, bcol(2, f32T), lit(types.Value{Type: f32T, F: 2})), []string{"3", "5", "NULL", "0"}, ""},
		{"neg", fn(expr.FnNeg, f64T, a), []string{"-7.5", "1", "NULL", "-1"}, ""},
		{"abs", fn(expr.FnAbs, f64T, fn(expr.FnNeg, f64T, a)), []string{"7.5", "1", "NULL", "1"}, ""},
	})
}

func TestArithmeticContract(t *testing.T) {
	for _, e := range []*expr.Expr{
		fn(expr.FnAdd, i64T, bcol(0, i64T), li32(1)),
		fn(expr.FnDiv, i64T, bcol(0, i64T), li64(1)),
		fn(expr.FnAdd, types.DecimalOf(12, 2), bcol(0, types.DecimalOf(9, 2)), ldec("1", 9, 2)),
	} {
		if _, err := Compile(e, Options{}); err == nil {
			t.Errorf("%s compiled", e)
		}
	}
}

// garbageNulls builds an int64 column whose NULL slots hold MaxInt64, as
// arrays from other producers may.
func garbageNulls(mem memory.Allocator) arrow.Array {
	vals, out := allocFixed[int64](mem, 3)
	copy(out, []int64{math.MaxInt64, 1, math.MaxInt64})
	valid := newBitmap(mem, 3)
	valid.Bytes()[0] = 0b010
	return fixedArray(i64T, 3, vals, valid, 2)
}

func TestOverflowOnNullRowIgnored(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	col := garbageNulls(mem)
	rec := record(col)
	col.Release()
	defer rec.Release()
	for _, e := range []*expr.Expr{
		fn(expr.FnAdd, i64T, bcol(0, i64T), li64(1)),
		fn(expr.FnMul, i64T, bcol(0, i64T), li64(2)),
		fn(expr.FnNeg, i64T, bcol(0, i64T)),
		fn(expr.FnCast, i32T, bcol(0, i64T)),
		fn(expr.FnCast, types.DecimalOf(5, 0), bcol(0, i64T)),
	} {
		ev, err := Compile(e, Options{Mem: mem})
		if err != nil {
			t.Fatal(err)
		}
		res, err := ev.Eval(context.Background(), rec)
		if err != nil {
			t.Fatalf("%s: %v", e, err)
		}
		if got := render(res); got[0] != "NULL" || got[2] != "NULL" {
			t.Errorf("%s = %v", e, got)
		}
		res.Release()
	}
}

// negZero is -0.0 (a Go literal -0.0 is plain zero).
var negZero = math.Copysign(0, -1)
