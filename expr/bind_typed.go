package expr

import (
	"github.com/drover-etl/drover/types"
)

// bindFunc is the shape of a signature's binder.
type bindFunc = func(b *binder, e *Expr, args []*Expr) (*Expr, error)

// typed returns a binder that coerces argument i per kinds[i] (the last
// kind repeats for further arguments) and produces a call of type t:
//
//	s string   i int64   f float64   b bool   d date (timestamps truncate)
//	p timestamp (dates widen)   t date or timestamp, kept as is
//
// The call is nullable when an argument is, or always with alwaysNull
// (functions that return NULL for some non-NULL inputs).
func typed(t types.Type, kinds string, alwaysNull bool) bindFunc {
	return func(_ *binder, e *Expr, args []*Expr) (*Expr, error) {
		out, err := coerceArgs(e, args, kinds)
		if err != nil {
			return nil, err
		}
		return typedCall(e.Name, t, alwaysNull || anyNullable(out), out...), nil
	}
}

func coerceArgs(e *Expr, args []*Expr, kinds string) ([]*Expr, error) {
	out := make([]*Expr, len(args))
	for i, a := range args {
		k := kinds[min(i, len(kinds)-1)]
		c, err := coerceArg(e, a, k)
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}

func coerceArg(e, a *Expr, kind byte) (*Expr, error) {
	switch kind {
	case 's':
		return asString(e, a)
	case 'i':
		return asInt64(e, a)
	case 'f':
		return asFloat64(e, a)
	case 'b':
		return asBool(e, a, opName(e.Name)+" arguments")
	case 'd':
		return asDate(e, a)
	case 'p':
		x, err := asDateOrTimestamp(e, a)
		if err != nil {
			return nil, err
		}
		return castTo(x, types.TimestampType), nil
	case 't':
		return asDateOrTimestamp(e, a)
	}
	panic("expr: unknown argument kind " + string(kind))
}

// asFloat64 accepts any number (and NULL) as float64.
func asFloat64(e, a *Expr) (*Expr, error) {
	if numericOrNull(a) {
		return castTo(a, types.Float64Type), nil
	}
	return nil, typeErrorf("%s needs a number, got %s in %s", opName(e.Name), a.Type, e)
}

// literalArg returns argument a as a non-NULL literal of the given kind,
// for arguments that fix the meaning of a call (units, bit counts).
func literalArg(e, a *Expr, id types.ID, what string) (types.Value, error) {
	if !a.IsLiteral() || a.Value.Null {
		return types.Value{}, typeErrorf("%s needs %s as a constant, in %s", opName(e.Name), what, e)
	}
	if id == types.Int64 && a.Type.IsInteger() {
		return types.Int64Value(a.Value.I), nil
	}
	if id == types.Float64 && a.Type.IsNumeric() {
		v, _, err := convertLiteral(a.Value, types.Float64Type)
		return v, err
	}
	if a.Type.ID != id {
		return types.Value{}, typeErrorf("%s needs %s, got %s in %s", opName(e.Name), what, a.Type, e)
	}
	return a.Value, nil
}
