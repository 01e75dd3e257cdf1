package parquetfmt

import (
	"math"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/types"
)

// convertValue converts a statistics value or bound as the reader
// converts data. exact restricts it to conversions that never round, the
// only ones safe to assume a CAST in a filter performs identically.
func convertValue(v types.Value, to types.Type, exact bool) (types.Value, bool) {
	from := v.Type
	switch {
	case from == to:
		return v, true
	case from.IsInteger() && to.IsInteger():
		if to.ID == types.Int32 && (v.I < math.MinInt32 || v.I > math.MaxInt32) {
			return v, false
		}
		return types.Value{Type: to, I: v.I}, true
	case from.IsInteger() && to.ID == types.Float64:
		return types.Value{Type: to, F: float64(v.I)}, true
	case from.ID == types.Float32 && to.ID == types.Float64:
		return types.Value{Type: to, F: v.F}, true
	case from.IsInteger() && to.ID == types.Decimal:
		n, ok := rescale(decimal128.FromI64(v.I), to.Scale, to.Precision)
		return types.DecimalValue(n, to.Precision, to.Scale), ok
	case from.ID == types.Decimal && to.ID == types.Decimal:
		if exact && to.Scale < from.Scale {
			return v, false
		}
		n, ok := rescale(v.Decimal128(), to.Scale-from.Scale, to.Precision)
		return types.DecimalValue(n, to.Precision, to.Scale), ok
	case from.ID == types.Date && to.ID == types.Timestamp:
		return types.TimestampValue(v.I * 86_400_000_000), true
	case from.ID == types.Timestamp && to.ID == types.Date && !exact:
		return types.DateValue(int32(floorDiv(v.I, 86_400_000_000))), true
	}
	return v, false
}

// compareValues orders two non-null values of the same type; ok is false
// when they cannot be ordered (different types, NaN).
func compareValues(a, b types.Value) (int, bool) {
	if a.Type.ID != b.Type.ID || a.Null || b.Null {
		return 0, false
	}
	switch a.Type.ID {
	case types.Bool:
		return cmpBool(a.B, b.B), true
	case types.Int32, types.Int64, types.Date, types.Timestamp:
		return cmp3(a.I, b.I), true
	case types.Float32, types.Float64:
		if math.IsNaN(a.F) || math.IsNaN(b.F) {
			return 0, false
		}
		return cmp3(a.F, b.F), true
	case types.String:
		return strings.Compare(a.S, b.S), true
	case types.Decimal:
		if a.Type.Scale != b.Type.Scale {
			return 0, false
		}
		return a.Decimal128().Cmp(b.Decimal128()), true
	}
	return 0, false
}

func cmp3[T int64 | float64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}
