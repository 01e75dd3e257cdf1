package eval

import (
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/types"
)

// signKernel is neg or abs. The most negative integer has neither and
// fails; the loops only flag it, and the rows are checked for NULLs after.
func signKernel(t types.Type, abs bool) kernel {
	return func(b *batch, args []datum) (arrow.Array, error) {
		a := args[0].arr
		switch t.ID {
		case types.Int32:
			return signInts[int32](b, t, a, abs, math.MinInt32)
		case types.Int64:
			return signInts[int64](b, t, a, abs, math.MinInt64)
		case types.Float32:
			return signFloats[float32](b, t, a, abs), nil
		case types.Float64:
			return signFloats[float64](b, t, a, abs), nil
		case types.Decimal:
			return signDecimals(b, t, a, abs), nil
		}
		return nil, invalidf("neg/abs of %s", t)
	}
}

func signInts[T int32 | int64](b *batch, t types.Type, a arrow.Array, abs bool, minV T) (arrow.Array, error) {
	in := values[T](a)
	buf, out := allocFixed[T](b.mem, b.n)
	bad := false
	for i, v := range in {
		bad = bad || v == minV
		if !abs || v < 0 {
			v = -v
		}
		out[i] = v
	}
	for i, v := range in {
		if bad && v == minV && a.IsValid(i) {
			buf.Release()
			op := "negation"
			if abs {
				op = "abs"
			}
			return nil, overflowError(op, t, fmt.Sprint(v))
		}
	}
	valid, nulls := validAnd(b.mem, b.n, a)
	return fixedArray(t, b.n, buf, valid, nulls), nil
}

func signFloats[T float32 | float64](b *batch, t types.Type, a arrow.Array, abs bool) arrow.Array {
	in := values[T](a)
	buf, out := allocFixed[T](b.mem, b.n)
	if abs {
		for i, v := range in {
			out[i] = T(math.Abs(float64(v)))
		}
	} else {
		for i, v := range in {
			out[i] = -v
		}
	}
	valid, nulls := validAnd(b.mem, b.n, a)
	return fixedArray(t, b.n, buf, valid, nulls)
}

// signDecimals cannot overflow: |x| has x's digits.
func signDecimals(b *batch, t types.Type, a arrow.Array, abs bool) arrow.Array {
	in := values[decimal128.Num](a)
	buf, out := allocFixed[decimal128.Num](b.mem, b.n)
	for i, v := range in {
		if !abs || v.HighBits() < 0 {
			v = v.Negate()
		}
		out[i] = v
	}
	valid, nulls := validAnd(b.mem, b.n, a)
	return fixedArray(t, b.n, buf, valid, nulls)
}
