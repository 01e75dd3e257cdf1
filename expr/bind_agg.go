package expr

import (
	"fmt"

	"github.com/drover-etl/drover/types"
)

// AggResultType is the type aggregate f produces over an argument of type
// arg (ignored for count(*)): count → int64; sum of integers → int64, of
// decimal(p,s) → decimal(38,s), of floats → float64; avg → float64; min
// and max → the argument's type.
func AggResultType(f AggFunc, arg types.Type) (types.Type, error) {
	switch f {
	case AggCount, AggCountStar:
		return types.Int64Type, nil
	}
	if arg.ID == types.Null {
		return types.Type{}, typeErrorf("%s of an untyped NULL; CAST the argument", f)
	}
	switch f {
	case AggSum:
		return sumType(arg)
	case AggAvg:
		if !arg.IsNumeric() {
			return types.Type{}, typeErrorf("avg needs a numeric argument, got %s", arg)
		}
		return types.Float64Type, nil
	case AggMin, AggMax:
		return arg, nil
	}
	return types.Type{}, fmt.Errorf("expr: unknown aggregate %d", f)
}

func sumType(arg types.Type) (types.Type, error) {
	switch {
	case arg.IsInteger():
		return types.Int64Type, nil
	case arg.IsFloat():
		return types.Float64Type, nil
	case arg.ID == types.Decimal:
		return types.DecimalOf(types.MaxDecimalPrecision, arg.Scale), nil
	}
	return types.Type{}, typeErrorf("sum needs a numeric argument, got %s", arg)
}

// BindAgg binds the argument of aggregate f (nil for count(*)) against
// schema and returns it with the aggregate's result type. Errors name the
// whole aggregate, as in "sum needs a numeric argument, got string in
// sum(name)".
func BindAgg(f AggFunc, arg *Expr, schema *types.Schema, funcs FuncResolver) (*Expr, types.Type, error) {
	if f == AggCountStar {
		return nil, types.Int64Type, nil
	}
	if arg == nil {
		return nil, types.Type{}, &bindError{kind: ErrArity, msg: fmt.Sprintf("%s needs an argument", f)}
	}
	bound, err := Bind(arg, schema, funcs)
	if err != nil {
		return nil, types.Type{}, err
	}
	t, err := AggResultType(f, bound.Type)
	if err != nil {
		return nil, types.Type{}, fmt.Errorf("%w in %s(%s)", err, f, arg)
	}
	return bound, t, nil
}
