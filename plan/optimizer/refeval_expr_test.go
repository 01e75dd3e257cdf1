package optimizer

import (
	"fmt"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

func evalExpr(e *expr.Expr, r row) types.Value {
	switch e.Kind {
	case expr.KindColumn:
		return r[e.Index]
	case expr.KindLiteral:
		return e.Value
	}
	args := evalAll(e.Args, r)
	switch e.Name {
	case expr.FnAnd, expr.FnOr, expr.FnNot, expr.FnIsNull, expr.FnIsNotNull,
		expr.FnEq, expr.FnNe, expr.FnLt, expr.FnLe, expr.FnGt, expr.FnGe:
		return evalByFolding(e, args)
	case expr.FnAdd, expr.FnSub, expr.FnMul:
		return arith(e, args[0], args[1])
	case expr.FnCase:
		return evalCase(args)
	case expr.FnCoalesce:
		for _, a := range args {
			if !a.Null {
				return a
			}
		}
		return types.NullValue(e.Type)
	case "test.twice":
		return arith(e, args[0], types.Int64Value(2))
	}
	panic(fmt.Sprintf("refeval: function %s", e.Name))
}

// evalByFolding reuses refFold on the argument values.
func evalByFolding(e *expr.Expr, args []types.Value) types.Value {
	c := *e
	c.Args = make([]*expr.Expr, len(args))
	for i, a := range args {
		c.Args[i] = expr.Lit(a)
	}
	v, err := refFold(&c)
	if err != nil {
		panic(fmt.Sprintf("refeval: %s: %v", e, err))
	}
	return v
}

func arith(e *expr.Expr, a, b types.Value) types.Value {
	if a.Null || b.Null {
		return types.NullValue(e.Type)
	}
	out := types.Value{Type: e.Type}
	switch e.Name {
	case expr.FnSub:
		out.I = a.I - b.I
	case expr.FnMul, "test.twice":
		out.I = a.I * b.I
	default:
		out.I = a.I + b.I
	}
	return out
}

func evalCase(args []types.Value) types.Value {
	for i := 0; i+1 < len(args); i += 2 {
		if truth(args[i]) {
			return args[i+1]
		}
	}
	return args[len(args)-1]
}
