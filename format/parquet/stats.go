package parquetfmt

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/parquet/metadata"

	"github.com/drover-etl/drover/format/csv/textcol"
	"github.com/drover-etl/drover/types"
)

// bounds is what a row group's statistics say about one column, in the
// column's table type.
type bounds struct {
	min, max  types.Value
	hasMinMax bool
	nulls     int64
	hasNulls  bool // null count known
	rows      int64
}

// allNull reports whether the statistics prove every value is NULL.
func (b bounds) allNull() bool { return b.hasNulls && b.nulls == b.rows }

// columnBounds reads the statistics of leaf in rg. Values are converted
// with the same functions the reader applies to the data, so they bound
// the converted values too.
func columnBounds(rg *metadata.RowGroupMetaData, leaf int, fileType arrow.DataType, target types.Type) bounds {
	b := bounds{rows: rg.NumRows()}
	cc, err := rg.ColumnChunk(leaf)
	if err != nil {
		return b
	}
	st, err := cc.Statistics()
	if err != nil || st == nil {
		return b
	}
	if st.HasNullCount() {
		b.nulls, b.hasNulls = st.NullCount(), true
	}
	if !st.HasMinMax() {
		return b
	}
	lo, hi, ok := statValues(st, fileType)
	if !ok {
		return b
	}
	b.min, ok = convertValue(lo, target, false)
	if !ok {
		return b
	}
	b.max, b.hasMinMax = convertValue(hi, target, false)
	return b
}

// statValues decodes min and max by the column's Arrow type (which
// carries the logical type: date, timestamp unit, decimal scale).
// Unsigned and INT96 columns are skipped: their physical stats order
// differs from the values'.
func statValues(st metadata.TypedStatistics, ft arrow.DataType) (lo, hi types.Value, ok bool) {
	switch s := st.(type) {
	case *metadata.BooleanStatistics:
		return types.BoolValue(s.Min()), types.BoolValue(s.Max()), ft.ID() == arrow.BOOL
	case *metadata.Int32Statistics:
		return int32Stats(int64(s.Min()), int64(s.Max()), ft)
	case *metadata.Int64Statistics:
		return int64Stats(s.Min(), s.Max(), ft)
	case *metadata.Float32Statistics:
		return floatValue(float64(s.Min()), types.Float32Type), floatValue(float64(s.Max()), types.Float32Type), ft.ID() == arrow.FLOAT32
	case *metadata.Float64Statistics:
		return floatValue(s.Min(), types.Float64Type), floatValue(s.Max(), types.Float64Type), ft.ID() == arrow.FLOAT64
	case *metadata.ByteArrayStatistics:
		return bytesStats(s.Min(), s.Max(), ft)
	case *metadata.FixedLenByteArrayStatistics:
		return bytesStats(s.Min(), s.Max(), ft)
	}
	return lo, hi, false
}

func floatValue(f float64, t types.Type) types.Value { return types.Value{Type: t, F: f} }

func int32Stats(lo, hi int64, ft arrow.DataType) (types.Value, types.Value, bool) {
	switch dt := ft.(type) {
	case *arrow.Int8Type, *arrow.Int16Type, *arrow.Int32Type:
		return types.Int32Value(int32(lo)), types.Int32Value(int32(hi)), true
	case *arrow.Date32Type:
		return types.DateValue(int32(lo)), types.DateValue(int32(hi)), true
	case *arrow.Decimal128Type:
		return decValue(decimal128.FromI64(lo), dt), decValue(decimal128.FromI64(hi), dt), true
	}
	return types.Value{}, types.Value{}, false
}

func int64Stats(lo, hi int64, ft arrow.DataType) (types.Value, types.Value, bool) {
	switch dt := ft.(type) {
	case *arrow.Int64Type:
		return types.Int64Value(lo), types.Int64Value(hi), true
	case *arrow.TimestampType:
		us := textcol.MicrosConverter(dt.Unit)
		return types.TimestampValue(us(lo)), types.TimestampValue(us(hi)), true
	case *arrow.Decimal128Type:
		return decValue(decimal128.FromI64(lo), dt), decValue(decimal128.FromI64(hi), dt), true
	}
	return types.Value{}, types.Value{}, false
}

func bytesStats(lo, hi []byte, ft arrow.DataType) (types.Value, types.Value, bool) {
	switch dt := ft.(type) {
	case *arrow.StringType, *arrow.BinaryType, *arrow.LargeStringType, *arrow.LargeBinaryType:
		return types.StringValue(string(lo)), types.StringValue(string(hi)), true
	case *arrow.Decimal128Type:
		l, ok1 := bigEndianDecimal(lo)
		h, ok2 := bigEndianDecimal(hi)
		return decValue(l, dt), decValue(h, dt), ok1 && ok2
	}
	return types.Value{}, types.Value{}, false
}

func decValue(n decimal128.Num, dt *arrow.Decimal128Type) types.Value {
	return types.DecimalValue(n, dt.Precision, dt.Scale)
}

// bigEndianDecimal reads Parquet's big-endian two's complement decimal.
func bigEndianDecimal(b []byte) (decimal128.Num, bool) {
	if len(b) == 0 || len(b) > 16 {
		return decimal128.Num{}, false
	}
	var buf [16]byte
	if b[0]&0x80 != 0 {
		for i := range buf {
			buf[i] = 0xff
		}
	}
	copy(buf[16-len(b):], b)
	var hi, lo uint64
	for i := range 8 {
		hi = hi<<8 | uint64(buf[i])
		lo = lo<<8 | uint64(buf[8+i])
	}
	return decimal128.New(int64(hi), lo), true
}
