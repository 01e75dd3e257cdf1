package parquetfmt

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/format/csv/textcol"
	"github.com/drover-etl/drover/types"
)

var mem = memory.DefaultAllocator

// convertArray turns a column as decoded from the file into the table's
// type (out is target.Arrow() or the dictionary string type). On failure
// it returns the offending row within arr.
func convertArray(arr arrow.Array, target types.Type, out arrow.DataType) (arrow.Array, int, error) {
	if arrow.TypeEqual(arr.DataType(), out) {
		arr.Retain()
		return arr, 0, nil
	}
	switch target.ID {
	case types.String:
		return toString(arr, out)
	case types.Int32:
		return toInt[int32](arr, out)
	case types.Int64:
		return toInt[int64](arr, out)
	case types.Float64:
		if arr.DataType().ID() == arrow.FLOAT32 {
			return mapFixed(arr, out, func(v float32) (float64, bool) { return float64(v), true })
		}
	case types.Decimal:
		return toDecimal(arr, target, out)
	case types.Date:
		return toDate(arr, out)
	case types.Timestamp:
		return toTimestamp(arr, out)
	}
	return castFallback(arr, out)
}

// mapFixed applies f to every value of a fixed-width array, keeping its
// validity. f reporting false on a valid row stops the conversion.
func mapFixed[S, D arrow.FixedWidthType](arr arrow.Array, out arrow.DataType, f func(S) (D, bool)) (arrow.Array, int, error) {
	in := arrow.GetValues[S](arr.Data(), 1)
	buf := memory.NewResizableBuffer(mem)
	buf.Resize(len(in) * int(sizeOf[D]()))
	dst := arrow.GetData[D](buf.Bytes())
	for i, v := range in {
		d, ok := f(v)
		if !ok && arr.IsValid(i) {
			buf.Release()
			return nil, i, fmt.Errorf("value %s does not fit %s", valueText(arr, i), typeName(out))
		}
		dst[i] = d
	}
	return withValidity(arr, out, buf), 0, nil
}

// valueText renders row i for an error message.
func valueText(arr arrow.Array, i int) string {
	f, err := textcol.NewFormatter(arr)
	if err != nil {
		return "?"
	}
	return string(f(nil, i))
}

func typeName(t arrow.DataType) string {
	if lt, err := types.FromArrow(t); err == nil {
		return lt.String()
	}
	return t.String()
}

func sizeOf[T arrow.FixedWidthType]() uintptr {
	var z [1]T
	return uintptr(len(arrow.GetBytes(z[:])))
}

// withValidity builds an array of values with arr's null bitmap; it takes
// over the reference to values.
func withValidity(arr arrow.Array, out arrow.DataType, values *memory.Buffer) arrow.Array {
	defer values.Release()
	d := arr.Data()
	var bitmap *memory.Buffer
	if arr.NullN() > 0 {
		bitmap = memory.NewResizableBuffer(mem)
		bitmap.Resize(int(bitutil.BytesForBits(int64(arr.Len()))))
		bitutil.CopyBitmap(d.Buffers()[0].Bytes(), d.Offset(), arr.Len(), bitmap.Bytes(), 0)
		defer bitmap.Release()
	}
	data := array.NewData(out, arr.Len(), []*memory.Buffer{bitmap, values}, nil, arr.NullN(), 0)
	defer data.Release()
	return array.MakeFromData(data)
}

// retype reinterprets arr's buffers as another type with the same layout
// (binary as utf8, timestamp without zone as UTC).
func retype(arr arrow.Array, out arrow.DataType) arrow.Array {
	d := arr.Data()
	data := array.NewData(out, d.Len(), d.Buffers(), d.Children(), d.NullN(), d.Offset())
	defer data.Release()
	return array.MakeFromData(data)
}

func toInt[D int32 | int64](arr arrow.Array, out arrow.DataType) (arrow.Array, int, error) {
	switch arr.DataType().ID() {
	case arrow.INT8:
		return mapFixed(arr, out, fitsInt[int8, D])
	case arrow.INT16:
		return mapFixed(arr, out, fitsInt[int16, D])
	case arrow.INT32:
		return mapFixed(arr, out, fitsInt[int32, D])
	case arrow.INT64:
		return mapFixed(arr, out, fitsInt[int64, D])
	case arrow.UINT8:
		return mapFixed(arr, out, fitsInt[uint8, D])
	case arrow.UINT16:
		return mapFixed(arr, out, fitsInt[uint16, D])
	case arrow.UINT32:
		return mapFixed(arr, out, fitsInt[uint32, D])
	case arrow.UINT64:
		return mapFixed(arr, out, fitsInt[uint64, D])
	}
	return castFallback(arr, out)
}

// fitsInt converts between integer types, failing when the value changes.
func fitsInt[S arrow.IntType | arrow.UintType, D int32 | int64](v S) (D, bool) {
	d := D(v)
	return d, S(d) == v && (d < 0) == (v < 0)
}

func toDate(arr arrow.Array, out arrow.DataType) (arrow.Array, int, error) {
	switch dt := arr.DataType().(type) {
	case *arrow.Date64Type:
		return mapFixed(arr, out, func(v arrow.Date64) (arrow.Date32, bool) {
			return arrow.Date32(floorDiv(int64(v), 86_400_000)), true
		})
	case *arrow.TimestampType:
		toMicros := textcol.MicrosConverter(dt.Unit)
		return mapFixed(arr, out, func(v arrow.Timestamp) (arrow.Date32, bool) {
			return arrow.Date32(floorDiv(toMicros(int64(v)), 86_400_000_000)), true
		})
	}
	return castFallback(arr, out)
}

func toTimestamp(arr arrow.Array, out arrow.DataType) (arrow.Array, int, error) {
	switch dt := arr.DataType().(type) {
	case *arrow.TimestampType:
		if dt.Unit == arrow.Microsecond {
			return retype(arr, out), 0, nil
		}
		toMicros := textcol.MicrosConverter(dt.Unit)
		return mapFixed(arr, out, func(v arrow.Timestamp) (arrow.Timestamp, bool) {
			return arrow.Timestamp(toMicros(int64(v))), true
		})
	case *arrow.Date32Type:
		return mapFixed(arr, out, func(v arrow.Date32) (arrow.Timestamp, bool) {
			return arrow.Timestamp(int64(v) * 86_400_000_000), true
		})
	}
	return castFallback(arr, out)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// castFallback uses Arrow's safe cast for the rare pairs without a fast
// path, and on failure finds the first row that does not convert.
func castFallback(arr arrow.Array, out arrow.DataType) (arrow.Array, int, error) {
	ctx := context.Background()
	res, err := compute.CastArray(ctx, arr, compute.SafeCastOptions(out))
	if err == nil {
		return res, 0, nil
	}
	for i := range arr.Len() {
		one := array.NewSlice(arr, int64(i), int64(i+1))
		r, e := compute.CastArray(ctx, one, compute.SafeCastOptions(out))
		one.Release()
		if e != nil {
			return nil, i, fmt.Errorf("cannot convert %s to %s: %w", arr.DataType(), out, e)
		}
		r.Release()
	}
	return nil, 0, fmt.Errorf("cannot convert %s to %s: %w", arr.DataType(), out, err)
}
