package expr

import (
	"slices"
	"strings"

	"github.com/drover-etl/drover/types"
)

// asString accepts string args (and NULL literals, typed as string).
func asString(e, a *Expr) (*Expr, error) {
	switch a.Type.ID {
	case types.String:
		return a, nil
	case types.Null:
		return castTo(a, types.StringType), nil
	}
	return nil, typeErrorf("%s needs string arguments, got %s in %s", opName(e.Name), a.Type, e)
}

func asStrings(e *Expr, args []*Expr) ([]*Expr, error) {
	out := make([]*Expr, len(args))
	for i, a := range args {
		s, err := asString(e, a)
		if err != nil {
			return nil, err
		}
		out[i] = s
	}
	return out, nil
}

// asInt64 accepts integer args, widened to int64 as substr, round and
// date_add expect.
func asInt64(e, a *Expr) (*Expr, error) {
	if a.Type.IsInteger() || a.Type.ID == types.Null {
		return castTo(a, types.Int64Type), nil
	}
	return nil, typeErrorf("%s needs an integer argument, got %s in %s", opName(e.Name), a.Type, e)
}

// bindStringFunc types lower, upper, trim, ltrim, rtrim and replace:
// strings in, string out.
func bindStringFunc(_ *binder, e *Expr, args []*Expr) (*Expr, error) {
	out, err := asStrings(e, args)
	if err != nil {
		return nil, err
	}
	return typedCall(e.Name, types.StringType, anyNullable(out), out...), nil
}

// bindStringPredicate types like, ilike, starts_with, ends_with, contains.
func bindStringPredicate(_ *binder, e *Expr, args []*Expr) (*Expr, error) {
	out, err := asStrings(e, args)
	if err != nil {
		return nil, err
	}
	return typedCall(e.Name, types.BoolType, anyNullable(out), out...), nil
}

func bindLength(_ *binder, e *Expr, args []*Expr) (*Expr, error) {
	s, err := asString(e, args[0])
	if err != nil {
		return nil, err
	}
	return typedCall(FnLength, types.Int64Type, s.Nullable, s), nil
}

// bindConcat casts non-string args to string, like || in PostgreSQL.
func bindConcat(_ *binder, _ *Expr, args []*Expr) (*Expr, error) {
	out := castAll(args, types.StringType)
	return typedCall(FnConcat, types.StringType, anyNullable(out), out...), nil
}

func bindSubstr(_ *binder, e *Expr, args []*Expr) (*Expr, error) {
	s, err := asString(e, args[0])
	if err != nil {
		return nil, err
	}
	out := []*Expr{s}
	for _, a := range args[1:] {
		n, err := asInt64(e, a)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return typedCall(FnSubstr, types.StringType, anyNullable(out), out...), nil
}

// bindRound always produces round(x, digits): integers become decimals
// (exact, and negative digits still work), float32 becomes float64.
func bindRound(_ *binder, e *Expr, args []*Expr) (*Expr, error) {
	x, err := roundable(e, args[0])
	if err != nil {
		return nil, err
	}
	digits := Lit(types.Int64Value(0))
	if len(args) == 2 {
		if digits, err = asInt64(e, args[1]); err != nil {
			return nil, err
		}
	}
	return decimalRoundResult(typedCall(FnRound, x.Type, x.Nullable || digits.Nullable, x, digits), digits), nil
}

// decimalRoundResult gives a rounded decimal DuckDB's result type: round,
// floor, ceil and trunc of decimal(w,s) to n constant digits are
// decimal(w, n) for 0 <= n < s and decimal(w, 0) for n < 0 (no digits
// means n = 0). The kernel rounds in the argument's type; the cast that
// narrows the scale is then exact. With digits from a column the type
// stays the argument's.
func decimalRoundResult(call, digits *Expr) *Expr {
	t := call.Type
	if t.ID != types.Decimal || !digits.IsLiteral() || digits.Value.Null {
		return call
	}
	n := max(digits.Value.I, 0)
	if n >= int64(t.Scale) {
		return call
	}
	// Round with one more integer digit, so a carry (9.96 → 10.0) fits
	// before the scale narrows to the result's.
	wide := types.DecimalOf(min(t.Precision+1, types.MaxDecimalPrecision), t.Scale)
	call.Args[0] = castTo(call.Args[0], wide)
	call.Type = wide
	c := Cast(call, types.DecimalOf(t.Precision, int32(n)))
	c.Nullable = call.Nullable
	return c
}

func roundable(e, x *Expr) (*Expr, error) {
	switch {
	case x.Type.ID == types.Decimal || x.Type.ID == types.Float64:
		return x, nil
	case x.Type.ID == types.Float32 || x.Type.ID == types.Null:
		return castTo(x, types.Float64Type), nil
	case x.IsLiteral() && x.Type.IsInteger():
		return castTo(x, literalDecimal(x.Value.I)), nil
	case x.Type.IsInteger():
		return castTo(x, types.AsDecimal(x.Type)), nil
	}
	return nil, typeErrorf("%s needs a number, got %s in %s", opName(e.Name), x.Type, e)
}

// bindFloorCeil: floor and ceil of an integer is the integer itself, so
// the call disappears rather than converting to another type.
func bindFloorCeil(_ *binder, e *Expr, args []*Expr) (*Expr, error) {
	x := args[0]
	if x.Type.IsInteger() {
		return x, nil
	}
	x, err := roundable(e, x)
	if err != nil {
		return nil, err
	}
	return typedCall(e.Name, x.Type, x.Nullable, x), nil
}

// asDateOrTimestamp accepts date and timestamp args; a string literal is
// read as a date, or failing that as a timestamp.
func asDateOrTimestamp(e, a *Expr) (*Expr, error) {
	switch a.Type.ID {
	case types.Date, types.Timestamp:
		return a, nil
	case types.Null:
		return castTo(a, types.DateType), nil
	case types.String:
		if a.IsLiteral() {
			if d, err := types.ParseDate(a.Value.S); err == nil {
				return Lit(types.DateValue(d)), nil
			}
			us, err := types.ParseTimestamp(a.Value.S)
			if err != nil {
				return nil, typeErrorf("%v in %s", err, e)
			}
			return Lit(types.TimestampValue(us)), nil
		}
	}
	return nil, typeErrorf("%s needs a date or timestamp, got %s in %s", opName(e.Name), a.Type, e)
}

// asDate is asDateOrTimestamp with timestamps truncated to their date.
func asDate(e, a *Expr) (*Expr, error) {
	a, err := asDateOrTimestamp(e, a)
	if err != nil {
		return nil, err
	}
	return castTo(a, types.DateType), nil
}

func bindDatePart(_ *binder, e *Expr, args []*Expr) (*Expr, error) {
	x, err := asDateOrTimestamp(e, args[0])
	if err != nil {
		return nil, err
	}
	return typedCall(e.Name, types.Int32Type, x.Nullable, x), nil
}

var truncUnits = []string{"millennium", "century", "decade", "year", "quarter", "month", "week", "day", "hour", "minute", "second", "millisecond"}

func bindDateTrunc(_ *binder, e *Expr, args []*Expr) (*Expr, error) {
	u := args[0]
	if !u.IsLiteral() || u.Type.ID != types.String {
		return nil, typeErrorf("date_trunc needs a unit string literal first, in %s", e)
	}
	unit := strings.ToLower(strings.TrimSpace(u.Value.S))
	if !slices.Contains(truncUnits, unit) {
		return nil, typeErrorf("date_trunc unit %q is not one of %s in %s", u.Value.S, strings.Join(truncUnits, ", "), e)
	}
	x, err := asDateOrTimestamp(e, args[1])
	if err != nil {
		return nil, err
	}
	return typedCall(FnDateTrunc, x.Type, x.Nullable, Lit(types.StringValue(unit)), x), nil
}

func bindDateAdd(_ *binder, e *Expr, args []*Expr) (*Expr, error) {
	d, err := asDate(e, args[0])
	if err != nil {
		return nil, err
	}
	n, err := asInt64(e, args[1])
	if err != nil {
		return nil, err
	}
	return typedCall(FnDateAdd, types.DateType, d.Nullable || n.Nullable, d, n), nil
}

// bindDateDiff: date_diff(end, start) in days (Spark's datediff), or
// date_diff('unit', start, end) (DuckDB).
func bindDateDiff(_ *binder, e *Expr, args []*Expr) (*Expr, error) {
	if len(args) == 3 {
		return bindDateDiff3(e, args)
	}
	out := make([]*Expr, 2)
	for i, a := range args {
		d, err := asDate(e, a)
		if err != nil {
			return nil, err
		}
		out[i] = d
	}
	return typedCall(FnDateDiff, types.Int64Type, anyNullable(out), out...), nil
}
