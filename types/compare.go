package types

import (
	"cmp"
	"strings"
)

// Compare orders two values of the same type; NULL is larger than every
// value (so it sorts last ascending), matching the operators' sort order.
func Compare(a, b Value) int {
	switch {
	case a.Null && b.Null:
		return 0
	case a.Null:
		return 1
	case b.Null:
		return -1
	}
	switch a.Type.ID {
	case Bool:
		return cmp.Compare(boolInt(a.B), boolInt(b.B))
	case Int32, Int64, Date, Timestamp:
		return cmp.Compare(a.I, b.I)
	case Float32, Float64:
		return CompareFloat(a.F, b.F)
	case Decimal:
		return a.Decimal128().Cmp(b.Decimal128())
	case String:
		return strings.Compare(a.S, b.S)
	}
	return 0
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// CompareFloat orders floats the way the evaluator compares them (as in
// PostgreSQL): NaN equals NaN and is larger than every number, so ORDER
// BY, min/max and range bounds all agree with WHERE x > y.
func CompareFloat[F ~float32 | ~float64](a, b F) int {
	an, bn := a != a, b != b
	switch {
	case an && bn:
		return 0
	case an:
		return 1
	case bn:
		return -1
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
