package eval

import (
	"math"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/types"
)

// formatKernel renders any type as text (see the cast matrix in cast.go).
func formatKernel(from types.Type) kernel {
	return func(b *batch, args []datum) (arrow.Array, error) {
		a := args[0].arr
		switch from.ID {
		case types.Bool:
			return formatBools(b, a.(*array.Boolean)), nil
		case types.Int32:
			return formatRows(b, a, func(d []byte, v int32) []byte { return strconv.AppendInt(d, int64(v), 10) }), nil
		case types.Int64:
			return formatRows(b, a, func(d []byte, v int64) []byte { return strconv.AppendInt(d, v, 10) }), nil
		case types.Float32:
			return formatRows(b, a, func(d []byte, v float32) []byte { return appendFloat(d, float64(v), 32) }), nil
		case types.Float64:
			return formatRows(b, a, func(d []byte, v float64) []byte { return appendFloat(d, v, 64) }), nil
		case types.Decimal:
			return formatRows(b, a, func(d []byte, v decimal128.Num) []byte { return appendDecimal(d, v, from.Scale) }), nil
		case types.Date:
			return formatRows(b, a, func(d []byte, v int32) []byte { return appendDate(d, int64(v)) }), nil
		case types.Timestamp:
			return formatRows(b, a, appendTimestamp), nil
		}
		return nil, invalidf("cannot cast %s to string", from)
	}
}

// formatRows writes each non-NULL value with f; text conversion costs far
// more than the call through f.
func formatRows[T fixed](b *batch, a arrow.Array, f func([]byte, T) []byte) arrow.Array {
	bld := newStringBuilder(b.mem, b.n, 12*b.n)
	defer bld.Release()
	var buf []byte
	for i, v := range values[T](a) {
		if a.IsNull(i) {
			bld.AppendNull()
			continue
		}
		buf = f(buf[:0], v)
		bld.BinaryBuilder.Append(buf)
	}
	return bld.NewArray()
}

func formatBools(b *batch, a *array.Boolean) arrow.Array {
	bld := newStringBuilder(b.mem, b.n, 5*b.n)
	defer bld.Release()
	for i := range b.n {
		switch {
		case a.IsNull(i):
			bld.AppendNull()
		case a.Value(i):
			bld.Append("true")
		default:
			bld.Append("false")
		}
	}
	return bld.NewArray()
}

// appendFloat writes the shortest text that reads back as v, in fixed
// notation for decimal exponents -4 … 14 (float32: … 5) and exponential
// beyond, with NaN and Infinity spelled as PostgreSQL does.
func appendFloat(dst []byte, v float64, bitSize int) []byte {
	switch {
	case math.IsNaN(v):
		return append(dst, "NaN"...)
	case math.IsInf(v, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(v, -1):
		return append(dst, "-Infinity"...)
	}
	start := len(dst)
	dst = strconv.AppendFloat(dst, v, 'e', -1, bitSize)
	exp := 0
	for i := len(dst) - 1; i > start; i-- {
		if dst[i] == 'e' {
			exp, _ = strconv.Atoi(string(dst[i+1:]))
			break
		}
	}
	maxExp := 15
	if bitSize == 32 {
		maxExp = 6
	}
	if exp < -4 || exp >= maxExp {
		return dst
	}
	return strconv.AppendFloat(dst[:start], v, 'f', -1, bitSize)
}
