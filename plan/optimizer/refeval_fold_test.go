package optimizer

import (
	"cmp"
	"errors"
	"math"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// The reference interpreter's logic and comparisons: a small independent
// implementation, so the semantics tests do not check eval against itself.

var errCannotFold = errors.New("cannot fold")

// refFold folds a call whose arguments are all literals.
func refFold(e *expr.Expr) (types.Value, error) {
	if e.Kind == expr.KindLiteral {
		return e.Value, nil
	}
	if e.Kind != expr.KindCall || !allLiterals(e.Args) {
		return types.Value{}, errCannotFold
	}
	switch e.Name {
	case expr.FnAnd, expr.FnOr:
		return foldLogic(e.Name == expr.FnAnd, e.Args)
	case expr.FnNot:
		return foldNot(e.Args[0].Value)
	case expr.FnIsNull:
		return types.BoolValue(e.Args[0].Value.Null), nil
	case expr.FnIsNotNull:
		return types.BoolValue(!e.Args[0].Value.Null), nil
	case expr.FnEq, expr.FnNe, expr.FnLt, expr.FnLe, expr.FnGt, expr.FnGe:
		return foldCompare(e.Name, e.Args[0].Value, e.Args[1].Value)
	}
	return types.Value{}, errCannotFold
}

// foldLogic is n-ary AND (and=true) or OR under three-valued logic: the
// dominant value (FALSE for AND, TRUE for OR) wins over NULL.
func foldLogic(and bool, args []*expr.Expr) (types.Value, error) {
	sawNull := false
	for _, a := range args {
		v := a.Value
		if !v.Null && v.Type.ID != types.Bool {
			return types.Value{}, errCannotFold
		}
		if v.Null {
			sawNull = true
		} else if v.B != and {
			return types.BoolValue(!and), nil
		}
	}
	if sawNull {
		return types.NullValue(types.BoolType), nil
	}
	return types.BoolValue(and), nil
}

func foldNot(v types.Value) (types.Value, error) {
	if v.Null {
		return types.NullValue(types.BoolType), nil
	}
	if v.Type.ID != types.Bool {
		return types.Value{}, errCannotFold
	}
	return types.BoolValue(!v.B), nil
}

func foldCompare(fn string, a, b types.Value) (types.Value, error) {
	if a.Null || b.Null {
		return types.NullValue(types.BoolType), nil
	}
	if a.Type != b.Type {
		return types.Value{}, errCannotFold
	}
	c, err := compareValues(a, b)
	if err != nil {
		return types.Value{}, err
	}
	var r bool
	switch fn {
	case expr.FnEq:
		r = c == 0
	case expr.FnNe:
		r = c != 0
	case expr.FnLt:
		r = c < 0
	case expr.FnLe:
		r = c <= 0
	case expr.FnGt:
		r = c > 0
	case expr.FnGe:
		r = c >= 0
	}
	return types.BoolValue(r), nil
}

// compareValues orders two non-null values of one type. Decimals and NaNs
// are left to the real evaluator, whose semantics for them are its own.
func compareValues(a, b types.Value) (int, error) {
	switch a.Type.ID {
	case types.Int32, types.Int64, types.Date, types.Timestamp:
		return cmp.Compare(a.I, b.I), nil
	case types.Float32, types.Float64:
		if math.IsNaN(a.F) || math.IsNaN(b.F) {
			return 0, errCannotFold
		}
		return cmp.Compare(a.F, b.F), nil
	case types.String:
		return cmp.Compare(a.S, b.S), nil
	case types.Bool:
		return cmp.Compare(boolInt(a.B), boolInt(b.B)), nil
	}
	return 0, errCannotFold
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
