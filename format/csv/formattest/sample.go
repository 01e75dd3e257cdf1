package formattest

import (
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/format/csv/textcol"
	"github.com/drover-etl/drover/types"
)

// AllTypesSchema has one column of every Drover type.
var AllTypesSchema = types.NewSchema(
	types.Field{Name: "b", Type: types.BoolType, Nullable: true},
	types.Field{Name: "i32", Type: types.Int32Type, Nullable: true},
	types.Field{Name: "i64", Type: types.Int64Type, Nullable: true},
	types.Field{Name: "f32", Type: types.Float32Type, Nullable: true},
	types.Field{Name: "f64", Type: types.Float64Type, Nullable: true},
	types.Field{Name: "dec", Type: types.DecimalOf(12, 3), Nullable: true},
	types.Field{Name: "big", Type: types.DecimalOf(38, 10), Nullable: true},
	types.Field{Name: "s", Type: types.StringType, Nullable: true},
	types.Field{Name: "d", Type: types.DateType, Nullable: true},
	types.Field{Name: "ts", Type: types.TimestampType, Nullable: true},
)

// AllTypesRows is AllTypes rendered by Rows.
var AllTypesRows = [][]string{
	{"true", "1", "-9223372036854775808", "1.5", "0.1", "123.456", "1234567890123456789012345678.0123456789", "hello", "1970-01-01", "2024-02-29 13:14:15.123456"},
	{"NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL"},
	{"false", "-2147483648", "9223372036854775807", "-3.25", "1e+300", "-0.001", "-1.0000000001", "quote \" and, comma", "0001-01-01", "1969-12-31 23:59:59.999999"},
	{"true", "2147483647", "0", "0.0", "-2.5e-300", "0.000", "0.0000000000", "line1\nline2\r\nline3", "9999-12-31", "1970-01-01 00:00:00"},
	{"false", "0", "42", "1e+10", "3.141592653589793", "999999999.999", "-9999999999999999999999999999.9999999999", "", "2000-02-29", "9999-12-31 23:59:59.999999"},
	{"NULL", "7", "NULL", "NULL", "2.0", "NULL", "NULL", "héllo 世界 🎉 ,\"'", "NULL", "0001-01-01 00:00:00"},
}

// AllTypes builds the batch of AllTypesRows.
func AllTypes() arrow.RecordBatch {
	bb := array.NewRecordBuilder(memory.DefaultAllocator, AllTypesSchema.Arrow())
	defer bb.Release()
	valid := []bool{true, false, true, true, true, true}
	bb.Field(0).(*array.BooleanBuilder).AppendValues([]bool{true, false, false, true, false, false}, []bool{true, false, true, true, true, false})
	bb.Field(1).(*array.Int32Builder).AppendValues([]int32{1, 0, math.MinInt32, math.MaxInt32, 0, 7}, valid)
	bb.Field(2).(*array.Int64Builder).AppendValues([]int64{math.MinInt64, 0, math.MaxInt64, 0, 42, 0}, []bool{true, false, true, true, true, false})
	bb.Field(3).(*array.Float32Builder).AppendValues([]float32{1.5, 0, -3.25, 0, 1e10, 0}, []bool{true, false, true, true, true, false})
	bb.Field(4).(*array.Float64Builder).AppendValues([]float64{0.1, 0, 1e300, -2.5e-300, math.Pi, 2}, valid)
	decimals(bb.Field(5).(*array.Decimal128Builder), []string{"123.456", "", "-0.001", "0", "999999999.999", ""}, 12, 3)
	decimals(bb.Field(6).(*array.Decimal128Builder), []string{"1234567890123456789012345678.0123456789", "", "-1.0000000001", "0", "-9999999999999999999999999999.9999999999", ""}, 38, 10)
	bb.Field(7).(*array.StringBuilder).AppendValues([]string{"hello", "", "quote \" and, comma", "line1\nline2\r\nline3", "", "héllo 世界 🎉 ,\"'"}, valid)
	bb.Field(8).(*array.Date32Builder).AppendValues([]arrow.Date32{0, 0, -719162, 2932896, 11016, 0}, []bool{true, false, true, true, true, false})
	bb.Field(9).(*array.TimestampBuilder).AppendValues([]arrow.Timestamp{1709212455123456, 0, -1, 0, 253402300799999999, -62135596800000000}, valid)
	return bb.NewRecordBatch()
}

func decimals(b *array.Decimal128Builder, vals []string, p, s int32) {
	for _, v := range vals {
		if v == "" {
			b.AppendNull()
			continue
		}
		n, err := textcol.ParseDecimal([]byte(v), p, s)
		if err != nil {
			panic(err)
		}
		b.Append(n)
	}
}
