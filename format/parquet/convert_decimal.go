package parquetfmt

import (
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/types"
)

// toDecimal rescales decimals (rounding half away from zero when the
// scale shrinks) and converts integers; a value needing more digits than
// the target precision is an error at its row.
func toDecimal(arr arrow.Array, target types.Type, out arrow.DataType) (arrow.Array, int, error) {
	switch dt := arr.DataType().(type) {
	case *arrow.Decimal128Type:
		if dt.Scale == target.Scale && dt.Precision <= target.Precision {
			return retype(arr, out), 0, nil
		}
		delta := target.Scale - dt.Scale
		return mapFixed(arr, out, func(v decimal128.Num) (decimal128.Num, bool) {
			return rescale(v, delta, target.Precision)
		})
	case *arrow.Int32Type:
		return mapFixed(arr, out, func(v int32) (decimal128.Num, bool) {
			return rescale(decimal128.FromI64(int64(v)), target.Scale, target.Precision)
		})
	case *arrow.Int64Type:
		return mapFixed(arr, out, func(v int64) (decimal128.Num, bool) {
			return rescale(decimal128.FromI64(v), target.Scale, target.Precision)
		})
	}
	return castFallback(arr, out)
}

// rescale moves v by delta decimal places and checks it has at most prec
// digits.
func rescale(v decimal128.Num, delta, prec int32) (decimal128.Num, bool) {
	switch {
	case delta > 0:
		if delta >= decimal128.MaxPrecision {
			return v, v == decimal128.Num{}
		}
		if !v.FitsInPrecision(decimal128.MaxPrecision - delta) {
			return v, false
		}
		v = v.Mul(decimal128.GetScaleMultiplier(int(delta)))
	case delta < 0:
		v = reduceScale(v, -delta)
	}
	return v, v.FitsInPrecision(prec)
}

// reduceScale divides by 10^k rounding half away from zero, in int64
// arithmetic when the value allows (decimal128.ReduceScaleBy uses big.Int).
func reduceScale(v decimal128.Num, k int32) decimal128.Num {
	hi, lo := v.HighBits(), v.LowBits()
	small := (hi == 0 && lo <= math.MaxInt64) || (hi == -1 && lo > math.MaxInt64)
	if !small || k > 18 {
		if k > decimal128.MaxPrecision {
			return decimal128.Num{}
		}
		return v.ReduceScaleBy(k, true)
	}
	x, p := int64(lo), int64(math.Pow10(int(k)))
	q, r := x/p, x%p
	if r < 0 {
		r = -r
	}
	if r*2 >= p {
		if x < 0 {
			q--
		} else {
			q++
		}
	}
	return decimal128.FromI64(q)
}
