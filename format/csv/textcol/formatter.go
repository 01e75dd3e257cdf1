package textcol

import (
	"fmt"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// Formatter appends the text of row i of one array to dst. Callers check
// IsNull first. It is built once per column and batch, so the per-value
// cost is one indirect call.
type Formatter func(dst []byte, i int) []byte

// NewFormatter returns the Formatter of arr: the text the readers parse
// back (dates YYYY-MM-DD, timestamps "2006-01-02 15:04:05.999999" UTC,
// decimals with exactly their scale, floats shortest round-trip).
// Dictionary arrays format their values.
func NewFormatter(arr arrow.Array) (Formatter, error) {
	switch a := arr.(type) {
	case *array.Boolean:
		return func(dst []byte, i int) []byte { return strconv.AppendBool(dst, a.Value(i)) }, nil
	case *array.Int8:
		return intFormatter(a.Value), nil
	case *array.Int16:
		return intFormatter(a.Value), nil
	case *array.Int32:
		return intFormatter(a.Value), nil
	case *array.Int64:
		return intFormatter(a.Value), nil
	case *array.Uint8:
		return intFormatter(a.Value), nil
	case *array.Uint16:
		return intFormatter(a.Value), nil
	case *array.Uint32:
		return intFormatter(a.Value), nil
	case *array.Float32:
		return func(dst []byte, i int) []byte { return AppendFloat(dst, float64(a.Value(i)), 32) }, nil
	case *array.Float64:
		return func(dst []byte, i int) []byte { return AppendFloat(dst, a.Value(i), 64) }, nil
	case *array.Decimal128:
		scale := a.DataType().(*arrow.Decimal128Type).Scale
		return func(dst []byte, i int) []byte { return AppendDecimal(dst, a.Value(i), scale) }, nil
	case *array.String:
		return func(dst []byte, i int) []byte { return append(dst, a.Value(i)...) }, nil
	case *array.LargeString:
		return func(dst []byte, i int) []byte { return append(dst, a.Value(i)...) }, nil
	case *array.Binary:
		return func(dst []byte, i int) []byte { return append(dst, a.Value(i)...) }, nil
	case *array.Date32:
		return func(dst []byte, i int) []byte { return AppendDate(dst, int64(a.Value(i))) }, nil
	case *array.Date64:
		return func(dst []byte, i int) []byte { return AppendDate(dst, floorDiv(int64(a.Value(i)), 86_400_000)) }, nil
	case *array.Timestamp:
		return timestampFormatter(a), nil
	case *array.Dictionary:
		return dictFormatter(a)
	}
	return nil, fmt.Errorf("cannot write %s as text", arr.DataType())
}

func intFormatter[T int8 | int16 | int32 | int64 | uint8 | uint16 | uint32](value func(int) T) Formatter {
	return func(dst []byte, i int) []byte { return strconv.AppendInt(dst, int64(value(i)), 10) }
}

func timestampFormatter(a *array.Timestamp) Formatter {
	toMicros := MicrosConverter(a.DataType().(*arrow.TimestampType).Unit)
	return func(dst []byte, i int) []byte { return AppendTimestamp(dst, toMicros(int64(a.Value(i)))) }
}

// MicrosConverter converts timestamps of unit u to µs, truncating
// nanoseconds toward negative infinity so that ordering is kept.
func MicrosConverter(u arrow.TimeUnit) func(int64) int64 {
	switch u {
	case arrow.Second:
		return func(v int64) int64 { return v * microsPerSecond }
	case arrow.Millisecond:
		return func(v int64) int64 { return v * 1000 }
	case arrow.Nanosecond:
		return func(v int64) int64 { return floorDiv(v, 1000) }
	}
	return func(v int64) int64 { return v }
}

func dictFormatter(a *array.Dictionary) (Formatter, error) {
	inner, err := NewFormatter(a.Dictionary())
	if err != nil {
		return nil, err
	}
	return func(dst []byte, i int) []byte { return inner(dst, a.GetValueIndex(i)) }, nil
}
