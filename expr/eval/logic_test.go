package eval

import (
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// truth is every pair of TRUE, FALSE and NULL: a in column 0, b in 1.
var truth = fixture{
	types: []types.Type{boolT, boolT},
	rows: [][]any{
		{true, true, true, false, false, false, nil, nil, nil},
		{true, false, nil, true, false, nil, true, false, nil},
	},
}

func TestThreeValuedLogic(t *testing.T) {
	a, b := bcol(0, boolT), bcol(1, boolT)
	runCases(t, truth, []evalCase{
		{"and", fn(expr.FnAnd, boolT, a, b),
			[]string{"true", "false", "NULL", "false", "false", "false", "NULL", "false", "NULL"}, ""},
		{"or", fn(expr.FnOr, boolT, a, b),
			[]string{"true", "true", "true", "true", "false", "NULL", "true", "NULL", "NULL"}, ""},
		{"not", fn(expr.FnNot, boolT, a),
			[]string{"false", "false", "false", "true", "true", "true", "NULL", "NULL", "NULL"}, ""},
		{"and null literal", fn(expr.FnAnd, boolT, a, lnull(boolT)),
			[]string{"NULL", "NULL", "NULL", "false", "false", "false", "NULL", "NULL", "NULL"}, ""},
		{"or true literal", fn(expr.FnOr, boolT, lbool(true), b),
			[]string{"true", "true", "true", "true", "true", "true", "true", "true", "true"}, ""},
		{"and false literal short-circuits", fn(expr.FnAnd, boolT, lbool(false), b),
			[]string{"false", "false", "false", "false", "false", "false", "false", "false", "false"}, ""},
		{"three-way and", fn(expr.FnAnd, boolT, a, b, lbool(true)),
			[]string{"true", "false", "NULL", "false", "false", "false", "NULL", "false", "NULL"}, ""},
		{"is null", fn(expr.FnIsNull, boolT, b),
			[]string{"false", "false", "true", "false", "false", "true", "false", "false", "true"}, ""},
		{"is not null", fn(expr.FnIsNotNull, boolT, a),
			[]string{"true", "true", "true", "true", "true", "true", "false", "false", "false"}, ""},
		{"is null of NULL literal", fn(expr.FnIsNull, boolT, lnull(types.NullType)),
			[]string{"true", "true", "true", "true", "true", "true", "true", "true", "true"}, ""},
	})
}

func TestShortCircuitSkipsRightSide(t *testing.T) {
	// a > 10 is FALSE everywhere, so the overflowing right side never runs.
	f := fixture{types: []types.Type{i64T}, rows: [][]any{{1, 2, 3}}}
	overflow := fn(expr.FnGt, boolT, fn(expr.FnMul, i64T, bcol(0, i64T), li64(1<<62)), li64(0))
	runCases(t, f, []evalCase{
		{"and", fn(expr.FnAnd, boolT, fn(expr.FnGt, boolT, bcol(0, i64T), li64(10)), overflow),
			[]string{"false", "false", "false"}, ""},
		{"and not skipped", fn(expr.FnAnd, boolT, fn(expr.FnGt, boolT, bcol(0, i64T), li64(1)), overflow),
			nil, "overflow"},
	})
}

func TestIn(t *testing.T) {
	f := fixture{
		types: []types.Type{i64T, strT, f64T, i64T},
		rows: [][]any{
			{1, 2, 3, nil},
			{"a", "b", "é", nil},
			{1.5, negZero, 2.0, nil},
			{3, nil, 3, 3},
		},
	}
	x, s := bcol(0, i64T), bcol(1, strT)
	many := []*expr.Expr{x}
	for i := int64(10); i < 30; i++ {
		many = append(many, li64(i))
	}
	many = append(many, li64(2))
	runCases(t, f, []evalCase{
		{"ints", fn(expr.FnIn, boolT, x, li64(1), li64(3)), []string{"true", "false", "true", "NULL"}, ""},
		{"with NULL item", fn(expr.FnIn, boolT, x, li64(1), lnull(i64T)), []string{"true", "NULL", "NULL", "NULL"}, ""},
		{"only NULL item", fn(expr.FnIn, boolT, x, lnull(i64T)), []string{"NULL", "NULL", "NULL", "NULL"}, ""},
		{"NULL value", fn(expr.FnIn, boolT, lnull(i64T), li64(1)), []string{"NULL", "NULL", "NULL", "NULL"}, ""},
		{"many items use a map", fn(expr.FnIn, boolT, many...), []string{"false", "true", "false", "NULL"}, ""},
		{"strings", fn(expr.FnIn, boolT, s, lstr("é"), lstr("a")), []string{"true", "false", "true", "NULL"}, ""},
		{"floats -0 = 0", fn(expr.FnIn, boolT, bcol(2, f64T), lf64(0), lf64(2)), []string{"false", "true", "true", "NULL"}, ""},
		{"column item", fn(expr.FnIn, boolT, x, li64(1), bcol(3, i64T)), []string{"true", "NULL", "true", "NULL"}, ""},
	})
}
