package eval

import (
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/types"
)

// negKernel negates; the most negative integer has no negation and fails.
func negKernel(t types.Type) kernel {
	return func(b *batch, args []datum) (arrow.Array, error) {
		a := args[0].arr
		switch t.ID {
		case types.Int32:
			return mapSigned(b, t, a, values[int32](a), math.MinInt32, func(v int32) int32 { return -v })
		case types.Int64:
			return mapSigned(b, t, a, values[int64](a), math.MinInt64, func(v int64) int64 { return -v })
		case types.Float32:
			return mapSigned(b, t, a, values[float32](a), float32(math.NaN()), func(v float32) float32 { return -v })
		case types.Float64:
			return mapSigned(b, t, a, values[float64](a), math.NaN(), func(v float64) float64 { return -v })
		case types.Decimal:
			return mapSigned(b, t, a, values[decimal128.Num](a), decimal128.Num{}, decimal128.Num.Negate)
		}
		return nil, invalidf("neg of %s", t)
	}
}

// mapSigned applies f to every value and fails on a valid row holding bad,
// the one value f cannot map (a NaN never equals itself, so floats pass).
// neg and abs are rare enough for a function value per row.
func mapSigned[T fixed](b *batch, t types.Type, a arrow.Array, in []T, bad T, f func(T) T) (arrow.Array, error) {
	buf, out := allocFixed[T](b.mem, b.n)
	for i, v := range in {
		if v == bad && t.IsInteger() && a.IsValid(i) {
			buf.Release()
			return nil, overflowError("negation", t, fmt.Sprint(v))
		}
		out[i] = f(v)
	}
	valid, nulls := validAnd(b.mem, b.n, a)
	return fixedArray(t, b.n, buf, valid, nulls), nil
}
