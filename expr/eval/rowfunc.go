package eval

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// Most functions added with the registry (string, math, date and hash
// functions) are not on a hot path of a typical ETL job and are written
// row at a time over typed values: a rowFn sees one row's arguments and
// returns its result. The kernel still reads each column through a typed
// accessor and writes through a typed builder, so a row costs a few
// indirect calls, not a types.FromArrow per cell. String functions stay
// liftable: over a dictionary column they run once per distinct value.

// rowFn computes one row. With a strict call it only sees non-NULL
// arguments; otherwise NULL arguments arrive as NULL values. A NULL
// result is types.NullValue of anything (the builder knows the type).
type rowFn func(args []types.Value) (types.Value, error)

// rowCall builds a call of e running f per row. strict: NULL in, NULL
// out. liftable only makes sense when every non-string argument is
// expected to be a constant (the call lifts over the one dictionary
// column).
func rowCall(e *expr.Expr, args []node, f rowFn, flags callFlags) node {
	return newCall(e.Name, e.Type, args, rowKernel(e.Type, f, flags&strict != 0), flags, ^uint32(0))
}

func rowKernel(t types.Type, f rowFn, strictRows bool) kernel {
	return func(b *batch, args []datum) (arrow.Array, error) {
		readers := make([]cellReader, len(args))
		for i, a := range args {
			readers[i] = newCellReader(a)
		}
		out := newValueBuilder(b.mem, t, b.n)
		defer out.release()
		vals := make([]types.Value, len(args))
		for i := range b.n {
			null := false
			for j, r := range readers {
				vals[j] = r(i)
				null = null || vals[j].Null
			}
			if null && strictRows {
				out.appendNull()
				continue
			}
			v, err := f(vals)
			if err != nil {
				return nil, err
			}
			out.append(v)
		}
		return out.finish(), nil
	}
}

// cellReader returns row i of an operand as a Value.
type cellReader func(i int) types.Value

func newCellReader(d datum) cellReader {
	if d.arr == nil {
		v := d.val
		return func(int) types.Value { return v }
	}
	t, err := types.FromArrow(d.arr.DataType())
	if err != nil {
		return func(i int) types.Value { return ValueAt(d.arr, i) }
	}
	a := d.arr
	null := func(i int) bool { return a.IsNull(i) }
	switch arr := a.(type) {
	case *array.String:
		return func(i int) types.Value {
			if null(i) {
				return types.NullValue(t)
			}
			return types.Value{Type: t, S: arr.Value(i)}
		}
	case *array.Int64:
		return intReader(t, null, arr.Int64Values())
	case *array.Int32:
		return intReader(t, null, arr.Int32Values())
	case *array.Date32:
		return intReader(t, null, values[int32](arr))
	case *array.Timestamp:
		return intReader(t, null, values[int64](arr))
	case *array.Float64:
		vs := arr.Float64Values()
		return func(i int) types.Value {
			if null(i) {
				return types.NullValue(t)
			}
			return types.Value{Type: t, F: vs[i]}
		}
	case *array.Decimal128:
		vs := arr.Values()
		return func(i int) types.Value {
			if null(i) {
				return types.NullValue(t)
			}
			return types.Value{Type: t, Hi: vs[i].HighBits(), Lo: vs[i].LowBits()}
		}
	}
	return func(i int) types.Value { return ValueAt(a, i) }
}

func intReader[T int32 | int64](t types.Type, null func(int) bool, vs []T) cellReader {
	return func(i int) types.Value {
		if null(i) {
			return types.NullValue(t)
		}
		return types.Value{Type: t, I: int64(vs[i])}
	}
}

// valueBuilder appends Values to an array of one logical type.
type valueBuilder struct {
	t   types.Type
	bld array.Builder
}

func newValueBuilder(mem memory.Allocator, t types.Type, n int) *valueBuilder {
	bld := array.NewBuilder(mem, t.Arrow())
	bld.Reserve(n)
	return &valueBuilder{t: t, bld: bld}
}

func (v *valueBuilder) appendNull() { v.bld.AppendNull() }

func (v *valueBuilder) append(x types.Value) {
	if x.Null {
		v.bld.AppendNull()
		return
	}
	switch b := v.bld.(type) {
	case *array.BooleanBuilder:
		b.Append(x.B)
	case *array.Int32Builder:
		b.Append(int32(x.I))
	case *array.Int64Builder:
		b.Append(x.I)
	case *array.Float32Builder:
		b.Append(float32(x.F))
	case *array.Float64Builder:
		b.Append(x.F)
	case *array.StringBuilder:
		b.Append(x.S)
	case *array.Decimal128Builder:
		b.Append(decimal128.New(x.Hi, x.Lo))
	case *array.Date32Builder:
		b.Append(arrow.Date32(x.I))
	case *array.TimestampBuilder:
		b.Append(arrow.Timestamp(x.I))
	default:
		panic("eval: valueBuilder of " + v.t.String())
	}
}

func (v *valueBuilder) finish() arrow.Array { return v.bld.NewArray() }
func (v *valueBuilder) release()            { v.bld.Release() }

// Result constructors for rowFns.
func strVal(s string) types.Value  { return types.StringValue(s) }
func i64Val(i int64) types.Value   { return types.Int64Value(i) }
func f64Val(f float64) types.Value { return types.Float64Value(f) }
func nullVal() types.Value         { return types.NullValue(types.NullType) }
