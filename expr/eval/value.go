package eval

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/types"
)

// ValueAt returns row i of arr as a typed Value, for every Arrow type
// types.FromArrow accepts (dictionary arrays included). Timestamps of any
// unit come back in µs, date64 in days. It is meant for single cells
// (constants, tests, explain output), not for loops.
func ValueAt(arr arrow.Array, i int) types.Value {
	t, err := types.FromArrow(arr.DataType())
	if err != nil || t.ID == types.Null || arr.IsNull(i) {
		return types.NullValue(t)
	}
	if d, ok := arr.(*array.Dictionary); ok {
		return ValueAt(d.Dictionary(), d.GetValueIndex(i))
	}
	v := types.Value{Type: t}
	switch a := arr.(type) {
	case *array.Boolean:
		v.B = a.Value(i)
	case *array.Float16:
		v.F = float64(a.Value(i).Float32())
	case *array.Float32:
		v.F = float64(a.Value(i))
	case *array.Float64:
		v.F = a.Value(i)
	case *array.Decimal128:
		v.Hi, v.Lo = a.Value(i).HighBits(), a.Value(i).LowBits()
	case *array.Decimal64:
		n := decimal128.FromI64(int64(a.Value(i)))
		v.Hi, v.Lo = n.HighBits(), n.LowBits()
	case *array.Decimal32:
		n := decimal128.FromI64(int64(a.Value(i)))
		v.Hi, v.Lo = n.HighBits(), n.LowBits()
	case array.StringLike:
		v.S = a.Value(i)
	case *array.Binary:
		v.S = string(a.Value(i))
	case *array.LargeBinary:
		v.S = string(a.Value(i))
	case *array.BinaryView:
		v.S = string(a.Value(i))
	case *array.Date64:
		v.I = int64(a.Value(i)) / (usPerDay / 1000)
	case *array.Timestamp:
		v.I = timestampMicros(int64(a.Value(i)), a.DataType().(*arrow.TimestampType).Unit)
	default:
		v.I = intAt(arr, i)
	}
	return v
}

// intAt reads any integer-like array cell (ints, uints, date32).
func intAt(arr arrow.Array, i int) int64 {
	switch a := arr.(type) {
	case *array.Int8:
		return int64(a.Value(i))
	case *array.Int16:
		return int64(a.Value(i))
	case *array.Int32:
		return int64(a.Value(i))
	case *array.Int64:
		return a.Value(i)
	case *array.Uint8:
		return int64(a.Value(i))
	case *array.Uint16:
		return int64(a.Value(i))
	case *array.Uint32:
		return int64(a.Value(i))
	case *array.Date32:
		return int64(a.Value(i))
	}
	return 0
}

func timestampMicros(v int64, unit arrow.TimeUnit) int64 {
	switch unit {
	case arrow.Second:
		return v * usPerSecond
	case arrow.Millisecond:
		return v * 1000
	case arrow.Nanosecond:
		return floorDiv(v, 1000)
	}
	return v
}

// MakeArray returns a column of n copies of v, of v.Type's Arrow type (an
// Arrow null array for an untyped NULL).
func MakeArray(v types.Value, n int, mem memory.Allocator) arrow.Array {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	t := v.Type
	if t.ID == types.Null {
		return array.NewNull(n)
	}
	if v.Null {
		return array.MakeArrayOfNull(mem, t.Arrow(), n)
	}
	switch t.ID {
	case types.Bool:
		return constBool(mem, v.B, n)
	case types.String:
		return constString(mem, v.S, n)
	case types.Int32, types.Date:
		return constFixed(mem, t, int32(v.I), n)
	case types.Int64, types.Timestamp:
		return constFixed(mem, t, v.I, n)
	case types.Float32:
		return constFixed(mem, t, float32(v.F), n)
	case types.Float64:
		return constFixed(mem, t, v.F, n)
	case types.Decimal:
		return constFixed(mem, t, v.Decimal128(), n)
	}
	panic("eval: MakeArray of unknown type " + t.String())
}

func constFixed[T fixed](mem memory.Allocator, t types.Type, v T, n int) arrow.Array {
	buf, out := allocFixed[T](mem, n)
	for i := range out {
		out[i] = v
	}
	return fixedArray(t, n, buf, nil, 0)
}

func constBool(mem memory.Allocator, v bool, n int) arrow.Array {
	data := newBitmap(mem, n)
	if v {
		copy(data.Bytes(), ones(n))
	}
	return boolArray(n, data, nil, 0)
}

func constString(mem memory.Allocator, s string, n int) arrow.Array {
	offBuf, offs := allocFixed[int32](mem, n+1)
	for i := range offs {
		offs[i] = int32(i * len(s))
	}
	data := newBuf(mem, n*len(s))
	bytes := data.Bytes()
	for i := range n {
		copy(bytes[i*len(s):], s)
	}
	return newArray(arrow.BinaryTypes.String, n, []*memory.Buffer{nil, offBuf, data}, 0)
}
