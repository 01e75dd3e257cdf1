package eval

import (
	"math"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/types"
)

// numericCast converts among bool, ints, floats and decimals. Conversions
// that cannot fail run as plain typed loops; the fallible ones go through
// castRows with a per-row converter.
func numericCast(from, to types.Type) kernel {
	switch {
	case to.ID == types.Bool:
		return toBoolKernel(from)
	case from.ID == types.Bool:
		return fromBoolKernel(to)
	case to.ID == types.Decimal:
		return toDecimalKernel(from, to)
	case from.ID == types.Decimal:
		return fromDecimalKernel(from, to)
	}
	return intFloatKernel(from, to)
}

// castRows applies a fallible per-row converter; a failure on a non-NULL
// row aborts with a range error naming the value.
func castRows[S, D fixed](b *batch, a arrow.Array, to types.Type, conv func(S) (D, bool), show func(S) string) (arrow.Array, error) {
	buf, out := allocFixed[D](b.mem, b.n)
	for i, v := range values[S](a) {
		r, ok := conv(v)
		if !ok && a.IsValid(i) {
			buf.Release()
			return nil, castRangeError(show(v), to)
		}
		out[i] = r
	}
	valid, nulls := validAnd(b.mem, b.n, a)
	return fixedArray(to, b.n, buf, valid, nulls), nil
}

// widen converts where every source value fits the target.
func widen[S, D int32 | int64 | float32 | float64](b *batch, a arrow.Array, to types.Type) arrow.Array {
	buf, out := allocFixed[D](b.mem, b.n)
	for i, v := range values[S](a) {
		out[i] = D(v)
	}
	valid, nulls := validAnd(b.mem, b.n, a)
	return fixedArray(to, b.n, buf, valid, nulls)
}

func intFloatKernel(from, to types.Type) kernel {
	return func(b *batch, args []datum) (arrow.Array, error) {
		a := args[0].arr
		switch f, t := from.ID, to.ID; {
		case f == types.Int32 && t == types.Int64:
			return widen[int32, int64](b, a, to), nil
		case f == types.Int32 && t == types.Float32:
			return widen[int32, float32](b, a, to), nil
		case f == types.Int32 && t == types.Float64:
			return widen[int32, float64](b, a, to), nil
		case f == types.Int64 && t == types.Float32:
			return widen[int64, float32](b, a, to), nil
		case f == types.Int64 && t == types.Float64:
			return widen[int64, float64](b, a, to), nil
		case f == types.Float32 && t == types.Float64:
			return widen[float32, float64](b, a, to), nil
		case f == types.Int64 && t == types.Int32:
			return castRows(b, a, to, int64ToInt32, showInt[int64])
		case f == types.Float64 && t == types.Float32:
			return castRows(b, a, to, float64ToFloat32, showFloat[float64])
		case f == types.Float32:
			return floatToInt[float32](b, a, to)
		}
		return floatToInt[float64](b, a, to)
	}
}

func int64ToInt32(v int64) (int32, bool) { return int32(v), v == int64(int32(v)) }

func float64ToFloat32(v float64) (float32, bool) {
	f := float32(v)
	return f, !math.IsInf(float64(f), 0) || math.IsInf(v, 0)
}

// floatToInt rounds half to even, as PostgreSQL's float → int casts do.
func floatToInt[S float32 | float64](b *batch, a arrow.Array, to types.Type) (arrow.Array, error) {
	if to.ID == types.Int32 {
		return castRows(b, a, to, func(v S) (int32, bool) {
			r := math.RoundToEven(float64(v))
			return int32(r), r >= math.MinInt32 && r <= math.MaxInt32
		}, showFloat[S])
	}
	return castRows(b, a, to, func(v S) (int64, bool) {
		r := math.RoundToEven(float64(v))
		return int64(r), r >= -(1<<63) && r < 1<<63
	}, showFloat[S])
}

func showInt[T int32 | int64](v T) string { return strconv.FormatInt(int64(v), 10) }

func showFloat[T float32 | float64](v T) string {
	return string(appendFloat(nil, float64(v), bitsOf[T]()))
}

func bitsOf[T float32 | float64]() int {
	var z T
	if _, ok := any(z).(float32); ok {
		return 32
	}
	return 64
}

func toBoolKernel(from types.Type) kernel {
	return func(b *batch, args []datum) (arrow.Array, error) {
		a := args[0].arr
		data := newBitmap(b.mem, b.n)
		switch from.ID {
		case types.Int32:
			cmpAS(opNe, values[int32](a), 0, data.Bytes())
		case types.Int64:
			cmpAS(opNe, values[int64](a), 0, data.Bytes())
		case types.Float32:
			cmpAS(opNe, values[float32](a), 0, data.Bytes())
		case types.Float64:
			cmpAS(opNe, values[float64](a), 0, data.Bytes())
		case types.Decimal:
			cmpDecAS(opNe, values[decimal128.Num](a), decimal128.Num{}, data.Bytes())
		}
		valid, nulls := validAnd(b.mem, b.n, a)
		return boolArray(b.n, data, valid, nulls), nil
	}
}

// fromBoolKernel maps TRUE to 1 and FALSE to 0 (1 at the decimal's scale).
func fromBoolKernel(to types.Type) kernel {
	return func(b *batch, args []datum) (arrow.Array, error) {
		one := types.Value{Type: to, I: 1, F: 1}
		if to.ID == types.Decimal {
			if !pow10[to.Scale].less(pow10[to.Precision]) {
				return nil, castRangeError("true", to)
			}
			one = types.DecimalValue(signed(pow10[to.Scale], false), to.Precision, to.Scale)
		}
		mask := trueMask(datum{arr: args[0].arr}, b.n)
		valid, nulls := validAnd(b.mem, b.n, args[0].arr)
		return mergeValues(b, mask, scalarDatum(one), scalarDatum(types.Value{Type: to}), to, valid, nulls), nil
	}
}
