package parquetfmt_test

import (
	"errors"
	"fmt"
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
	parquetfmt "github.com/drover-etl/drover/format/parquet"
	"github.com/drover-etl/drover/types"
)

// writeIntDecimals writes decimal(5,2) (stored as INT32) and decimal(12,2)
// (INT64) columns with NULLs, as Spark and DuckDB store them.
func writeIntDecimals(t *testing.T) string {
	t.Helper()
	sch := arrow.NewSchema([]arrow.Field{
		{Name: "d5", Type: &arrow.Decimal128Type{Precision: 5, Scale: 2}, Nullable: true},
		{Name: "d12", Type: &arrow.Decimal128Type{Precision: 12, Scale: 2}, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, sch)
	defer b.Release()
	for i, s := range []string{"123.45", "-0.05", "", "0.15", "-999.99", "0.50"} {
		if s == "" {
			b.Field(0).AppendNull()
			b.Field(1).AppendNull()
			continue
		}
		n, _ := decimal128.FromString(s, 5, 2)
		b.Field(0).(*array.Decimal128Builder).Append(n)
		b.Field(1).(*array.Decimal128Builder).Append(n.Mul(decimal128.FromI64(int64(1000 * (i + 1)))))
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	return writeDecimalsAsIntegers(t, rec, "intdec.parquet")
}

// writeDecimalsAsIntegers writes rec to a Parquet file in a temporary
// directory with its decimals stored as INT32/INT64, and returns its path.
func writeDecimalsAsIntegers(t *testing.T, rec arrow.RecordBatch, name string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	w := formattestCreate(t, path)
	fw, err := pqarrow.NewFileWriter(rec.Schema(), w, parquet.NewWriterProperties(parquet.WithStoreDecimalAsInteger(true)), pqarrow.DefaultWriterProps())
	if err != nil {
		t.Fatal(err)
	}
	if err := fw.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestDirectDecimals reads INT32/INT64 decimals as the same, wider,
// finer and coarser decimals with direct decoding on and off: same rows,
// and the same DataError (row, value as a decimal) when one does not fit.
func TestDirectDecimals(t *testing.T) {
	path := writeIntDecimals(t)
	read := func(on bool, table *types.Schema) ([][]string, error) {
		defer parquetfmt.SetDirectDecimals(on)()
		recs, err := formattest.Scan(f, path, 0, format.ReadOptions{Table: table})
		if err != nil {
			return nil, err
		}
		defer formattest.Release(recs)
		formattest.CheckTypes(t, table, recs)
		return formattest.Rows(t, recs), nil
	}
	for _, c := range []struct{ d5, d12 types.Type }{
		{types.DecimalOf(5, 2), types.DecimalOf(12, 2)},
		{types.DecimalOf(18, 2), types.DecimalOf(38, 2)},
		{types.DecimalOf(10, 4), types.DecimalOf(20, 5)},
		{types.DecimalOf(5, 1), types.DecimalOf(12, 0)},
	} {
		table := types.NewSchema(types.Field{Name: "d5", Type: c.d5, Nullable: true}, types.Field{Name: "d12", Type: c.d12, Nullable: true})
		t.Run(fmt.Sprintf("%s,%s", c.d5, c.d12), func(t *testing.T) {
			want, err := read(false, table)
			if err != nil {
				t.Fatal(err)
			}
			got, err := read(true, table)
			if err != nil {
				t.Fatal(err)
			}
			formattest.Equal(t, want, got)
		})
	}
	for _, on := range []bool{false, true} {
		table := types.NewSchema(types.Field{Name: "d12", Type: types.DecimalOf(7, 2), Nullable: true})
		_, err := read(on, table)
		var de *format.DataError
		if !errors.As(err, &de) || de.Row != 0 || de.Column != "d12" || !strings.Contains(err.Error(), "123450.00") {
			t.Fatalf("direct=%t: error %v, want a DataError at row 0 of d12 naming 123450.00", on, err)
		}
	}
}
