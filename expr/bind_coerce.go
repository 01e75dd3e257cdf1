package expr

import (
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/types"
)

// convertLiteral converts v to type t at bind time. ok is true when the
// result denotes the same value; for float targets it is the nearest float,
// which is what a user comparing a float32 column with 0.1 means. err is set
// when a string should be a date or timestamp and does not parse: that is a
// mistake in the job, better reported now than as a row error later.
func convertLiteral(v types.Value, t types.Type) (types.Value, bool, error) {
	if v.Type == t {
		return v, true, nil
	}
	if v.Null {
		return types.NullValue(t), true, nil
	}
	switch v.Type.ID {
	case types.Int32, types.Int64:
		out, ok := convertInt(v.I, t)
		return out, ok, nil
	case types.Decimal:
		out, ok := convertDecimal(v, t)
		return out, ok, nil
	case types.Float64, types.Float32:
		if t.IsFloat() {
			return floatValue(v.F, t), true, nil
		}
	case types.String:
		return convertString(v.S, t)
	case types.Date:
		if t.ID == types.Timestamp {
			return types.TimestampValue(v.I * 86_400_000_000), true, nil
		}
	}
	return types.Value{}, false, nil
}

func convertInt(i int64, t types.Type) (types.Value, bool) {
	switch t.ID {
	case types.Int32:
		if int64(int32(i)) == i {
			return types.Int32Value(int32(i)), true
		}
	case types.Int64:
		return types.Int64Value(i), true
	case types.Float32, types.Float64:
		return floatValue(float64(i), t), true
	case types.Decimal:
		n := decimal128.FromI64(i)
		if t.Scale > t.Precision || !n.FitsInPrecision(t.Precision-t.Scale) {
			return types.Value{}, false
		}
		return types.DecimalValue(n.IncreaseScaleBy(t.Scale), t.Precision, t.Scale), true
	}
	return types.Value{}, false
}

func convertDecimal(v types.Value, t types.Type) (types.Value, bool) {
	n := v.Decimal128()
	switch t.ID {
	case types.Float32, types.Float64:
		return floatValue(n.ToFloat64(v.Type.Scale), t), true
	case types.Decimal:
		out, err := n.Rescale(v.Type.Scale, t.Scale)
		if err != nil || !out.FitsInPrecision(t.Precision) {
			return types.Value{}, false
		}
		return types.DecimalValue(out, t.Precision, t.Scale), true
	}
	return types.Value{}, false
}

func convertString(s string, t types.Type) (types.Value, bool, error) {
	switch t.ID {
	case types.Date:
		d, err := types.ParseDate(s)
		if err != nil {
			return types.Value{}, false, typeErrorf("%v", err)
		}
		return types.DateValue(d), true, nil
	case types.Timestamp:
		us, err := types.ParseTimestamp(s)
		if err != nil {
			return types.Value{}, false, typeErrorf("%v", err)
		}
		return types.TimestampValue(us), true, nil
	}
	return types.Value{}, false, nil
}

// floatValue stores f as a value of float type t; float32 values are kept
// rounded to float32 so they compare equal to float32 column values.
func floatValue(f float64, t types.Type) types.Value {
	if t.ID == types.Float32 {
		f = float64(float32(f))
	}
	return types.Value{Type: t, F: f}
}

// castTo returns e converted to t: unchanged when it already has type t, a
// new literal when the conversion can happen now, else a Cast node.
func castTo(e *Expr, t types.Type) *Expr {
	if e.Type == t {
		return e
	}
	if e.IsLiteral() {
		if v, ok, err := convertLiteral(e.Value, t); ok && err == nil {
			return Lit(v)
		}
	}
	c := Cast(e, t)
	c.Nullable = e.Nullable
	return c
}

// castAll converts every arg to t.
func castAll(args []*Expr, t types.Type) []*Expr {
	out := make([]*Expr, len(args))
	for i, a := range args {
		out[i] = castTo(a, t)
	}
	return out
}

// mismatchFunc builds the error for two argument types that do not mix.
type mismatchFunc func(a, b types.Type) error

// unify finds the type all args convert to, as eq, in, case and coalesce
// need. Columns and computed args decide the type (types.Common); literals
// then adapt to it when exact, so int32_col IN (1, 2) stays int32 and
// date_col = '2026-11-20' compares dates. Only a literal that does not fit
// widens the type (int32_col = 3000000000 compares as int64).
func unify(args []*Expr, mismatch mismatchFunc) (types.Type, error) {
	t := types.NullType
	for _, a := range args {
		if a.IsLiteral() {
			continue
		}
		nt, ok := types.Common(t, a.Type)
		if !ok {
			return types.Type{}, mismatch(t, a.Type)
		}
		t = nt
	}
	for _, a := range args {
		if !a.IsLiteral() {
			continue
		}
		if t.ID != types.Null {
			_, ok, err := convertLiteral(a.Value, t)
			if err != nil {
				return types.Type{}, err
			}
			if ok {
				continue
			}
		}
		nt, ok := types.Common(t, a.Type)
		if !ok {
			return types.Type{}, mismatch(t, a.Type)
		}
		t = nt
	}
	return t, nil
}

// literalDecimal is the narrowest decimal type holding integer literal i,
// so price * 2 gets decimal(p+2,s) rather than decimal(p+20,s).
func literalDecimal(i int64) types.Type {
	digits := int32(1)
	for n := i; n >= 10 || n <= -10; n /= 10 {
		digits++
	}
	return types.DecimalOf(digits, 0)
}
