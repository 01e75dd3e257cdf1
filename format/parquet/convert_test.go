package parquetfmt_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/csv/formattest"
	"github.com/drover-etl/drover/types"
)

// foreignSchema has types other writers produce and Drover converts.
var foreignSchema = arrow.NewSchema([]arrow.Field{
	{Name: "i8", Type: arrow.PrimitiveTypes.Int8, Nullable: true},
	{Name: "u16", Type: arrow.PrimitiveTypes.Uint16, Nullable: true},
	{Name: "u32", Type: arrow.PrimitiveTypes.Uint32, Nullable: true},
	{Name: "f32", Type: arrow.PrimitiveTypes.Float32, Nullable: true},
	{Name: "ts_ns", Type: &arrow.TimestampType{Unit: arrow.Nanosecond}, Nullable: true},
	{Name: "ts_ms", Type: &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "America/New_York"}, Nullable: true},
	{Name: "dec", Type: &arrow.Decimal128Type{Precision: 5, Scale: 2}, Nullable: true},
	{Name: "bin", Type: arrow.BinaryTypes.Binary, Nullable: true},
	{Name: "day", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
}, nil)

func writeForeign(t *testing.T) string {
	t.Helper()
	b := array.NewRecordBuilder(memory.DefaultAllocator, foreignSchema)
	defer b.Release()
	b.Field(0).(*array.Int8Builder).AppendValues([]int8{-128, 127, 0}, []bool{true, true, false})
	b.Field(1).(*array.Uint16Builder).AppendValues([]uint16{65535, 0, 1}, nil)
	b.Field(2).(*array.Uint32Builder).AppendValues([]uint32{4294967295, 0, 1}, nil)
	b.Field(3).(*array.Float32Builder).AppendValues([]float32{1.5, -0.25, 3}, nil)
	b.Field(4).(*array.TimestampBuilder).AppendValues([]arrow.Timestamp{1_500, -1_500, 1_700_000_000_123_456_789}, nil)
	b.Field(5).(*array.TimestampBuilder).AppendValues([]arrow.Timestamp{1_000, -1, 0}, nil)
	for _, s := range []string{"123.45", "-0.05", "0.15"} {
		n, _ := decimal128.FromString(s, 5, 2)
		b.Field(6).(*array.Decimal128Builder).Append(n)
	}
	b.Field(7).(*array.BinaryBuilder).AppendValues([][]byte{[]byte("héllo"), {}, []byte("x")}, nil)
	b.Field(8).(*array.Date32Builder).AppendValues([]arrow.Date32{1, -1, 19000}, nil)
	rec := b.NewRecordBatch()
	defer rec.Release()

	path := filepath.Join(t.TempDir(), "foreign.parquet")
	w := formattestCreate(t, path)
	fw, err := pqarrow.NewFileWriter(foreignSchema, w, parquet.NewWriterProperties(), pqarrow.DefaultWriterProps())
	if err != nil {
		t.Fatal(err)
	}
	if err := fw.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := fw.Close(); err != nil { // closes w too
		t.Fatal(err)
	}
	return path
}

func TestConversions(t *testing.T) {
	path := writeForeign(t)
	s, err := f.Infer(t.Context(), formattest.Location(t, path), nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := "i8:int32, u16:int32, u32:int64, f32:float32, ts_ns:timestamp, ts_ms:timestamp, dec:decimal(5,2), bin:string, day:date"; s.String() != want {
		t.Fatalf("Infer = %s, want %s", s, want)
	}
	table := types.NewSchema(
		types.Field{Name: "i8", Type: types.Int64Type}, types.Field{Name: "u16", Type: types.Int32Type},
		types.Field{Name: "u32", Type: types.Int64Type}, types.Field{Name: "f32", Type: types.Float64Type},
		types.Field{Name: "ts_ns", Type: types.TimestampType}, types.Field{Name: "ts_ms", Type: types.TimestampType},
		types.Field{Name: "dec", Type: types.DecimalOf(10, 3)}, types.Field{Name: "bin", Type: types.StringType},
		types.Field{Name: "day", Type: types.TimestampType}, types.Field{Name: "dec", Type: types.DecimalOf(10, 1)},
		types.Field{Name: "day", Type: types.DateType},
	)
	recs, err := formattest.Scan(f, path, 0, format.ReadOptions{Table: table})
	if err != nil {
		t.Fatal(err)
	}
	defer formattest.Release(recs)
	formattest.CheckTypes(t, table, recs)
	formattest.Equal(t, [][]string{
		{"-128", "65535", "4294967295", "1.5", "1970-01-01 00:00:00.000001", "1970-01-01 00:00:01", "123.450", "héllo", "1970-01-02 00:00:00", "123.5", "1970-01-02"},
		{"127", "0", "0", "-0.25", "1969-12-31 23:59:59.999998", "1969-12-31 23:59:59.999", "-0.050", "", "1969-12-31 00:00:00", "-0.1", "1969-12-31"},
		{"NULL", "1", "1", "3.0", "2023-11-14 22:13:20.123456", "1970-01-01 00:00:00", "0.150", "x", "2022-01-08 00:00:00", "0.2", "2022-01-08"},
	}, formattest.Rows(t, recs))
}

func TestConversionOverflowIsDataError(t *testing.T) {
	path := writeForeign(t)
	table := types.NewSchema(types.Field{Name: "dec", Type: types.DecimalOf(4, 2)})
	_, err := formattest.Scan(f, path, 0, format.ReadOptions{Table: table})
	var de *format.DataError
	if !errors.As(err, &de) || de.Row != 0 || de.Column != "dec" || !strings.Contains(err.Error(), "123.45") || !strings.Contains(err.Error(), path) {
		t.Fatalf("error %v: want a DataError at row 0 of column dec naming the value", err)
	}
	table = types.NewSchema(types.Field{Name: "u16", Type: types.Int32Type}, types.Field{Name: "i8", Type: types.Int32Type})
	if _, err := formattest.Scan(f, path, 0, format.ReadOptions{Table: table}); err != nil {
		t.Fatalf("narrow-to-wide read failed: %v", err)
	}
}
