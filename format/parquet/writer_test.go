package parquetfmt_test

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/csv/formattest"
	"github.com/drover-etl/drover/types"
)

// TestWrittenLogicalTypes checks what other engines see: DATE, DECIMAL,
// TIMESTAMP(MICROS, UTC) and UTF8 strings.
func TestWrittenLogicalTypes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "all.parquet")
	rec := formattest.AllTypes()
	defer rec.Release()
	formattest.Write(t, f, path, formattest.AllTypesSchema.Arrow(), nil, rec)
	loc := formattest.Location(t, path)
	fh, err := loc.Store.Open(t.Context(), loc.Key)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	rdr, err := file.NewParquetReader(sectionReader(fh))
	if err != nil {
		t.Fatal(err)
	}
	sc := rdr.MetaData().Schema
	want := map[string]string{"dec": "Decimal(precision=12, scale=3)", "big": "Decimal(precision=38, scale=10)",
		"s": "String", "d": "Date", "ts": "Timestamp(isAdjustedToUTC=true, timeUnit=microseconds, is_from_converted_type=false, force_set_converted_type=false)"}
	for name, lt := range want {
		c := sc.Column(sc.ColumnIndexByName(name))
		if got := c.LogicalType().String(); got != lt {
			t.Errorf("column %s: logical type %s, want %s", name, got, lt)
		}
	}
}

// TestWriteDictionaryAndNanos writes dictionary strings and nanosecond
// timestamps, as operators may hand them over.
func TestWriteDictionaryAndNanos(t *testing.T) {
	mem := memory.DefaultAllocator
	dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	db := array.NewDictionaryBuilder(mem, dt).(*array.BinaryDictionaryBuilder)
	defer db.Release()
	for _, s := range []string{"b", "a", "b"} {
		_ = db.AppendString(s)
	}
	db.AppendNull()
	s := db.NewArray()
	defer s.Release()
	tb := array.NewTimestampBuilder(mem, &arrow.TimestampType{Unit: arrow.Nanosecond})
	defer tb.Release()
	tb.AppendValues([]arrow.Timestamp{1_000, 2_999, -1, 0}, []bool{true, true, true, false})
	ts := tb.NewArray()
	defer ts.Release()
	sch := arrow.NewSchema([]arrow.Field{{Name: "s", Type: dt}, {Name: "ts", Type: ts.DataType()}}, nil)
	rec := array.NewRecordBatch(sch, []arrow.Array{s, ts}, 4)
	defer rec.Release()

	path := filepath.Join(t.TempDir(), "dict.parquet")
	formattest.Write(t, f, path, sch, nil, rec, rec)
	table := types.NewSchema(types.Field{Name: "s", Type: types.StringType}, types.Field{Name: "ts", Type: types.TimestampType})
	recs, err := formattest.Scan(f, path, 0, format.ReadOptions{Table: table})
	if err != nil {
		t.Fatal(err)
	}
	defer formattest.Release(recs)
	formattest.CheckTypes(t, table, recs)
	one := [][]string{{"b", "1970-01-01 00:00:00.000001"}, {"a", "1970-01-01 00:00:00.000002"}, {"b", "1969-12-31 23:59:59.999999"}, {"NULL", "NULL"}}
	formattest.Equal(t, append(one, one...), formattest.Rows(t, recs))
}

func TestDataErrorRowInLaterRowGroup(t *testing.T) {
	path := writeNumbers(t, 1000, 100)
	table := types.NewSchema(types.Field{Name: "amount", Type: types.DecimalOf(2, 2)})
	_, err := formattest.Scan(f, path, 0, format.ReadOptions{Table: table, BatchRows: 30})
	var de *format.DataError
	if !errors.As(err, &de) || de.Row != 100 {
		t.Fatalf("error %v: want a DataError at row 100", err)
	}
}

func TestEmptyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "empty.parquet")
	formattest.Write(t, f, path, numbersSchema.Arrow(), nil)
	s, err := f.Infer(t.Context(), formattest.Location(t, path), nil)
	if err != nil || s.Len() != numbersSchema.Len() {
		t.Fatalf("Infer = %v, %v", s, err)
	}
	recs, err := formattest.Scan(f, path, 1, format.ReadOptions{Table: numbersSchema})
	if err != nil || len(recs) != 0 {
		t.Fatalf("read %d batches, %v", len(recs), err)
	}
}

func TestRowGroupBytes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rg.parquet")
	opts := map[string]string{"row_group_bytes": "1000", "compression": "none"}
	var recs []arrow.RecordBatch
	for i := range 5 {
		recs = append(recs, numbers(i*1000, (i+1)*1000))
	}
	defer formattest.Release(recs)
	formattest.Write(t, f, path, numbersSchema.Arrow(), opts, recs...)
	splits, err := f.Split(t.Context(), formattest.Location(t, path), 0, 1)
	if err != nil || len(splits) < 2 {
		t.Fatalf("Split = %d splits, %v; want a row group per batch", len(splits), err)
	}
}
