package expr

import (
	"fmt"

	"github.com/drover-etl/drover/types"
)

// AggResultType is the type aggregate f produces over an argument of type
// arg (ignored for count(*)); the registry (registry_agg.go) states each
// rule. Types follow DuckDB: statistics are float64, sum of decimals stays
// decimal, quantiles of decimals stay decimal.
func AggResultType(f AggFunc, arg types.Type) (types.Type, error) {
	switch f {
	case AggCount, AggCountStar, AggApproxCountDistinct:
		return types.Int64Type, nil
	}
	if arg.ID == types.Null {
		return types.Type{}, typeErrorf("%s of an untyped NULL; CAST the argument", f)
	}
	switch f {
	case AggSum:
		return sumType(arg)
	case AggAvg, AggStddevSamp, AggStddevPop, AggVarSamp, AggVarPop, AggCorr, AggCovarSamp, AggCovarPop:
		if !arg.IsNumeric() {
			return types.Type{}, typeErrorf("%s needs a numeric argument, got %s", f, arg)
		}
		return types.Float64Type, nil
	case AggMedian, AggQuantileCont:
		return quantileType(f, arg)
	case AggApproxQuantile:
		if !arg.IsNumeric() {
			return types.Type{}, typeErrorf("%s needs a numeric argument, got %s", f, arg)
		}
		if arg.IsFloat() {
			return types.Float64Type, nil
		}
		return arg, nil
	case AggCountIf:
		return boolAgg(f, arg, types.Int64Type)
	case AggBoolAnd, AggBoolOr:
		return boolAgg(f, arg, types.BoolType)
	case AggMin, AggMax, AggAnyValue, AggFirst, AggLast, AggSingleValue, AggQuantileDisc:
		return arg, nil
	case AggStringAgg:
		return types.StringType, nil
	case AggArgMax, AggArgMin:
		return arg, nil
	}
	return types.Type{}, fmt.Errorf("expr: unknown aggregate %d", f)
}

func quantileType(f AggFunc, arg types.Type) (types.Type, error) {
	switch {
	case arg.ID == types.Decimal:
		return arg, nil
	case arg.IsNumeric():
		return types.Float64Type, nil
	case arg.ID == types.Date || arg.ID == types.Timestamp:
		return types.TimestampType, nil
	}
	return types.Type{}, typeErrorf("%s needs a numeric argument, got %s (use quantile_disc for other types)", f, arg)
}

func boolAgg(f AggFunc, arg, result types.Type) (types.Type, error) {
	if arg.ID != types.Bool {
		return types.Type{}, typeErrorf("%s needs a boolean argument, got %s", f, arg)
	}
	return result, nil
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

// AggNeverNull reports aggregates that produce a value even for an empty
// group (counts).
func AggNeverNull(f AggFunc) bool {
	return f == AggCount || f == AggCountStar || f == AggCountIf || f == AggApproxCountDistinct
}

// AggHolistic reports aggregates that need every value of a group in one
// place (exact quantiles): they have no partial state, so the planner
// shuffles raw rows by the group keys and aggregates once, as it does for
// DISTINCT.
func AggHolistic(f AggFunc) bool {
	return f == AggMedian || f == AggQuantileCont || f == AggQuantileDisc
}

// AggArity is how many arguments f takes: columns evaluated per row
// (Arg, then the first columns-1 of Extra) and constant parameters
// (the rest of Extra, literals).
func AggArity(f AggFunc) (columns, params int) {
	switch f {
	case AggCountStar:
		return 0, 0
	case AggCorr, AggCovarSamp, AggCovarPop, AggArgMax, AggArgMin:
		return 2, 0
	case AggQuantileCont, AggQuantileDisc, AggApproxQuantile, AggStringAgg:
		return 1, 1
	}
	return 1, 0
}

// BindAgg binds the argument of a one-argument aggregate f (nil for
// count(*)) against schema and returns it with the aggregate's result
// type. Errors name the whole aggregate, as in "sum needs a numeric
// argument, got string in sum(name)".
func BindAgg(f AggFunc, arg *Expr, schema *types.Schema, funcs FuncResolver) (*Expr, types.Type, error) {
	var args []*Expr
	if arg != nil {
		args = []*Expr{arg}
	}
	bound, extra, t, err := BindAggCall(f, args, schema, funcs)
	if err != nil {
		return nil, types.Type{}, err
	}
	if len(extra) > 0 {
		return nil, types.Type{}, &bindError{kind: ErrArity, msg: fmt.Sprintf("%s has %d arguments after binding; bind it with BindAggCall", f, 1+len(extra))}
	}
	return bound, t, nil
}

// BindAggCall binds every argument of aggregate f: the first becomes
// AggExpr.Arg, the others AggExpr.Extra (see AggArity): the second column
// of corr and covar_*, cast to float64 like the first; the ordering
// column of arg_max and arg_min, as it is; the fraction of
// quantile_cont, quantile_disc and approx_quantile, a float64 literal in
// [0, 1]; the separator of string_agg, a string literal (',' when left
// out), its argument cast to string.
func BindAggCall(f AggFunc, args []*Expr, schema *types.Schema, funcs FuncResolver) (*Expr, []*Expr, types.Type, error) {
	if f == AggCountStar {
		return nil, nil, types.Int64Type, nil
	}
	cols, params := AggArity(f)
	if f == AggStringAgg && len(args) == 1 {
		args = append(args, Lit(types.StringValue(",")))
	}
	if len(args) != cols+params {
		return nil, nil, types.Type{}, &bindError{kind: ErrArity,
			msg: fmt.Sprintf("%s takes %d argument(s), got %d", f, cols+params, len(args))}
	}
	bound := make([]*Expr, len(args))
	for i, a := range args {
		b, err := Bind(a, schema, funcs)
		if err != nil {
			return nil, nil, types.Type{}, err
		}
		bound[i] = b
	}
	t, err := AggResultType(f, bound[0].Type)
	if err != nil {
		return nil, nil, types.Type{}, fmt.Errorf("%w in %s(%s)", err, f, args[0])
	}
	if f == AggArgMax || f == AggArgMin {
		if k := bound[1].Type; k.ID == types.Null {
			return nil, nil, types.Type{}, typeErrorf("%s of an untyped NULL ordering value; CAST it", f)
		}
		return bound[0], bound[1:], t, nil
	}
	if cols == 2 {
		for i := range bound {
			if !numericOrNull(bound[i]) {
				return nil, nil, types.Type{}, typeErrorf("%s needs numeric arguments, got %s", f, bound[i].Type)
			}
			bound[i] = castTo(bound[i], types.Float64Type)
		}
	}
	if f == AggStringAgg {
		if _, err := literalArg(&Expr{Name: f.String()}, bound[1], types.String, "a separator string"); err != nil {
			return nil, nil, types.Type{}, err
		}
		return castTo(bound[0], types.StringType), bound[1:], t, nil
	}
	if params == 1 {
		p, err := quantileFraction(f, bound[1])
		if err != nil {
			return nil, nil, types.Type{}, err
		}
		bound[1] = p
	}
	return bound[0], bound[1:], t, nil
}

func quantileFraction(f AggFunc, p *Expr) (*Expr, error) {
	if !p.IsLiteral() || p.Value.Null || !p.Type.IsNumeric() {
		return nil, typeErrorf("%s needs a constant fraction between 0 and 1, got %s", f, p)
	}
	v, _, err := convertLiteral(p.Value, types.Float64Type)
	if err != nil {
		return nil, err
	}
	if v.F < 0 || v.F > 1 {
		return nil, typeErrorf("%s: fraction %v is outside [0, 1]", f, v.F)
	}
	return Lit(v), nil
}
