package types

// Common returns the type both a and b convert to without losing meaning,
// the way SQL engines unify the operands of =, +, CASE branches, IN lists
// and UNION columns. Null unifies with anything; integers widen to int64,
// to decimal, then to float; date widens to timestamp. ok is false when the
// types do not mix (say, string and int64): the caller reports a type error.
func Common(a, b Type) (Type, bool) {
	if a == b {
		return a, true
	}
	if a.ID == Null {
		return b, true
	}
	if b.ID == Null {
		return a, true
	}
	if a.IsNumeric() && b.IsNumeric() {
		return commonNumeric(a, b), true
	}
	if (a.ID == Date && b.ID == Timestamp) || (a.ID == Timestamp && b.ID == Date) {
		return TimestampType, true
	}
	return Type{}, false
}

func commonNumeric(a, b Type) Type {
	if a.IsFloat() || b.IsFloat() {
		if a.ID == Float32 && b.ID == Float32 {
			return Float32Type
		}
		return Float64Type
	}
	if a.ID == Decimal || b.ID == Decimal {
		da, db := AsDecimal(a), AsDecimal(b)
		scale := max(da.Scale, db.Scale)
		intDigits := max(da.Precision-da.Scale, db.Precision-db.Scale)
		return DecimalOf(min(intDigits+scale, MaxDecimalPrecision), scale)
	}
	if a.ID == Int64 || b.ID == Int64 {
		return Int64Type
	}
	return Int32Type
}

// AsDecimal is the decimal type that holds every value of the numeric type t
// exactly (int32 → decimal(10,0), int64 → decimal(19,0)).
func AsDecimal(t Type) Type {
	switch t.ID {
	case Int32:
		return DecimalOf(10, 0)
	case Int64:
		return DecimalOf(19, 0)
	}
	return t
}

// ArithmeticResult is the result type of a op b for op in + - * / %,
// following the SQL Server / Spark rules for decimals: addition keeps the
// larger scale, multiplication adds scales, division keeps at least six
// fractional digits. Precision is capped at 38 (scale shrinks first, never
// below 6). Integer division yields float64 like DuckDB's `/`.
func ArithmeticResult(op string, a, b Type) (Type, bool) {
	if !a.IsNumeric() || !b.IsNumeric() {
		return Type{}, false
	}
	if a.IsFloat() || b.IsFloat() {
		return commonNumeric(a, b), true
	}
	if a.ID != Decimal && b.ID != Decimal {
		if op == "/" {
			return Float64Type, true
		}
		return commonNumeric(a, b), true
	}
	da, db := AsDecimal(a), AsDecimal(b)
	p1, s1, p2, s2 := da.Precision, da.Scale, db.Precision, db.Scale
	var p, s int32
	switch op {
	case "+", "-":
		s = max(s1, s2)
		p = max(p1-s1, p2-s2) + s + 1
	case "*":
		s = s1 + s2
		p = p1 + p2 + 1
	case "/":
		s = max(6, s1+p2+1)
		p = p1 - s1 + s2 + s
	case "%":
		s = max(s1, s2)
		p = min(p1-s1, p2-s2) + s
	default:
		return Type{}, false
	}
	return boundDecimal(p, s), true
}

// boundDecimal caps precision at 38, giving up fractional digits first but
// keeping at least min(s, 6) of them (Spark's adjustPrecisionScale).
func boundDecimal(p, s int32) Type {
	if p <= MaxDecimalPrecision {
		return DecimalOf(p, s)
	}
	intDigits := p - s
	minScale := min(s, 6)
	s = max(MaxDecimalPrecision-intDigits, minScale)
	return DecimalOf(MaxDecimalPrecision, s)
}
