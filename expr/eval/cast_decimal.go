package eval

import (
	"math"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/types"
)

// toDecimalKernel converts ints, floats and decimals to decimal(p,s);
// values needing more than p digits fail.
func toDecimalKernel(from, to types.Type) kernel {
	limit := pow10[to.Precision]
	return func(b *batch, args []datum) (arrow.Array, error) {
		a := args[0].arr
		switch from.ID {
		case types.Int32:
			return castRows(b, a, to, func(v int32) (decimal128.Num, bool) { return intToDecimal(int64(v), to.Scale, limit) }, showInt[int32])
		case types.Int64:
			return castRows(b, a, to, func(v int64) (decimal128.Num, bool) { return intToDecimal(v, to.Scale, limit) }, showInt[int64])
		case types.Float32:
			return castRows(b, a, to, func(v float32) (decimal128.Num, bool) { return floatToDecimal(float64(v), 32, to) }, showFloat[float32])
		case types.Float64:
			return castRows(b, a, to, func(v float64) (decimal128.Num, bool) { return floatToDecimal(v, 64, to) }, showFloat[float64])
		}
		show := func(v decimal128.Num) string { return formatDecimal(v, from.Scale) }
		return castRows(b, a, to, func(v decimal128.Num) (decimal128.Num, bool) {
			return rescale(v, from.Scale, to.Scale, limit)
		}, show)
	}
}

func intToDecimal(v int64, scale int32, limit u128) (decimal128.Num, bool) {
	m, neg := mag(decimal128.FromI64(v))
	m, ok := scaleUp(m, int(scale))
	if !ok || !m.less(limit) {
		return decimal128.Num{}, false
	}
	return signed(m, neg), true
}

// floatToDecimal goes through the float's shortest decimal form, so 0.1
// becomes 0.1 and not 0.1000000000000000055511151231257827.
func floatToDecimal(v float64, bitSize int, to types.Type) (decimal128.Num, bool) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return decimal128.Num{}, false
	}
	var tmp [32]byte
	s := strconv.AppendFloat(tmp[:0], v, 'e', -1, bitSize)
	n, ok, fits := parseDecimal(unsafeString(s), to.Precision, to.Scale)
	return n, ok && fits
}

// rescale moves a decimal between scales, rounding half away from zero
// when digits are dropped.
func rescale(v decimal128.Num, from, to int32, limit u128) (decimal128.Num, bool) {
	m, neg := mag(v)
	var ok bool
	if to >= from {
		m, ok = scaleUp(m, int(to-from))
	} else {
		m, ok = roundDown(m, int(from-to))
	}
	if !ok || !m.less(limit) {
		return decimal128.Num{}, false
	}
	return signed(m, neg), true
}

// roundDown divides by 10^k rounding half up, for any k up to 38.
func roundDown(m u128, k int) (u128, bool) {
	if q, ok := scaleDown(m, k); ok {
		return q, true
	}
	q, ok := fromBig(bigDivRound(m.big(), bigPow10(k)))
	return q, ok
}

// fromDecimalKernel converts decimals to ints (rounding half away from
// zero, like PostgreSQL's numeric) and to floats.
func fromDecimalKernel(from, to types.Type) kernel {
	show := func(v decimal128.Num) string { return formatDecimal(v, from.Scale) }
	return func(b *batch, args []datum) (arrow.Array, error) {
		a := args[0].arr
		switch to.ID {
		case types.Int32:
			return castRows(b, a, to, func(v decimal128.Num) (int32, bool) {
				r, ok := decimalToInt(v, from.Scale)
				return int32(r), ok && r == int64(int32(r))
			}, show)
		case types.Int64:
			return castRows(b, a, to, func(v decimal128.Num) (int64, bool) { return decimalToInt(v, from.Scale) }, show)
		case types.Float32:
			return castRows(b, a, to, func(v decimal128.Num) (float32, bool) { return float32(decimalToFloat(v, from.Scale)), true }, show)
		}
		return castRows(b, a, to, func(v decimal128.Num) (float64, bool) { return decimalToFloat(v, from.Scale), true }, show)
	}
}

func decimalToInt(v decimal128.Num, scale int32) (int64, bool) {
	m, neg := mag(v)
	m, ok := roundDown(m, int(scale))
	if !ok || m.hi != 0 || m.lo > 1<<63 || (m.lo == 1<<63 && !neg) {
		return 0, false
	}
	if neg {
		return -int64(m.lo), true
	}
	return int64(m.lo), true
}

// decimalToFloat is correctly rounded: exact operands and one IEEE
// division when both fit a float64's mantissa, else strconv on the text.
func decimalToFloat(v decimal128.Num, scale int32) float64 {
	m, neg := mag(v)
	if m.hi == 0 && m.lo <= 1<<53 && scale <= 22 {
		f := float64(m.lo) / math.Pow10(int(scale))
		if neg {
			f = -f
		}
		return f
	}
	f, _ := strconv.ParseFloat(formatDecimal(v, scale), 64)
	return f
}
