package eval

import (
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

func TestCase(t *testing.T) {
	f := fixture{
		types: []types.Type{i64T, strT, boolT},
		rows:  [][]any{{1, 5, 0, nil, 12}, {"a", "b", nil, "d", "e"}, {true, nil, false, true, nil}},
	}
	x, s, c := bcol(0, i64T), bcol(1, strT), bcol(2, boolT)
	gt := func(v int64) *expr.Expr { return fn(expr.FnGt, boolT, x, li64(v)) }
	runCases(t, f, []evalCase{
		{"first true wins", fn(expr.FnCase, strT, gt(10), lstr("big"), gt(2), lstr("mid"), lstr("small")),
			[]string{`"small"`, `"mid"`, `"small"`, `"small"`, `"big"`}, ""},
		{"NULL condition is not true", fn(expr.FnCase, i64T, c, li64(1), lnull(i64T)),
			[]string{"1", "NULL", "NULL", "1", "NULL"}, ""},
		{"column branches", fn(expr.FnCase, strT, c, s, lstr("-")),
			[]string{`"a"`, `"-"`, `"-"`, `"d"`, `"-"`}, ""},
		{"int branches", fn(expr.FnCase, i64T, gt(2), x, fn(expr.FnNeg, i64T, x)),
			[]string{"-1", "5", "0", "NULL", "12"}, ""},
		{"bool result", fn(expr.FnCase, boolT, gt(2), lbool(true), c),
			[]string{"true", "true", "false", "true", "true"}, ""},
		{"decimal result", fn(expr.FnCase, types.DecimalOf(5, 2), gt(2), ldec("1.5", 5, 2), ldec("-2", 5, 2)),
			[]string{"-2.00", "1.50", "-2.00", "-2.00", "1.50"}, ""},
		// x * 2^62 overflows for x >= 2 but that branch runs only where x < 2.
		{"unselected branch errors are harmless", fn(expr.FnCase, i64T, gt(1), li64(0), fn(expr.FnMul, i64T, x, li64(1<<62))),
			[]string{"4611686018427387904", "0", "0", "NULL", "0"}, ""},
		{"selected branch errors surface", fn(expr.FnCase, i64T, gt(0), fn(expr.FnMul, i64T, x, li64(1<<62)), li64(0)),
			nil, "int64 mul out of range"},
		{"cast in unselected branch", fn(expr.FnCase, i64T, fn(expr.FnEq, boolT, s, lstr("d")), cast(lstr("x"), i64T), li64(7)),
			nil, `cannot cast "x" to int64`},
		{"cast in selected-nowhere branch", fn(expr.FnCase, i64T, fn(expr.FnEq, boolT, s, lstr("zz")), cast(s, i64T), li64(7)),
			[]string{"7", "7", "7", "7", "7"}, ""},
	})
}

func TestCoalesceNullIf(t *testing.T) {
	f := fixture{
		types: []types.Type{i64T, i64T, strT},
		rows:  [][]any{{1, nil, nil, 4}, {10, 20, nil, 40}, {"a", nil, "", "x"}},
	}
	a, b, s := bcol(0, i64T), bcol(1, i64T), bcol(2, strT)
	runCases(t, f, []evalCase{
		{"coalesce", fn(expr.FnCoalesce, i64T, a, b, li64(-1)), []string{"1", "20", "-1", "4"}, ""},
		{"coalesce strings", fn(expr.FnCoalesce, strT, s, lstr("?")), []string{`"a"`, `"?"`, `""`, `"x"`}, ""},
		{"coalesce first const", fn(expr.FnCoalesce, i64T, li64(3), a), []string{"3", "3", "3", "3"}, ""},
		{"coalesce all NULL", fn(expr.FnCoalesce, i64T, lnull(i64T), a), []string{"1", "NULL", "NULL", "4"}, ""},
		// 2^62 * b overflows only on rows that already have a value.
		{"coalesce lazy", fn(expr.FnCoalesce, i64T, a, fn(expr.FnMul, i64T, b, li64(1<<62)), li64(0)), nil, "overflow"},
		{"nullif", fn(expr.FnNullIf, i64T, a, li64(4)), []string{"1", "NULL", "NULL", "NULL"}, ""},
		{"nullif columns", fn(expr.FnNullIf, i64T, b, fn(expr.FnMul, i64T, a, li64(10))), []string{"NULL", "20", "NULL", "NULL"}, ""},
		{"nullif strings", fn(expr.FnNullIf, strT, s, lstr("")), []string{`"a"`, "NULL", "NULL", `"x"`}, ""},
		{"nullif NULL arg", fn(expr.FnNullIf, i64T, a, lnull(i64T)), []string{"1", "NULL", "NULL", "4"}, ""},
	})
}

func TestCoalesceLazy(t *testing.T) {
	f := fixture{types: []types.Type{i64T, i64T}, rows: [][]any{{1, nil, 3}, {1 << 40, 2, 1 << 40}}}
	a, b := bcol(0, i64T), bcol(1, i64T)
	runCases(t, f, []evalCase{
		{"second arg only where first is NULL", fn(expr.FnCoalesce, i64T, a, fn(expr.FnMul, i64T, b, li64(1<<40))),
			[]string{"1", "2199023255552", "3"}, ""},
	})
}
