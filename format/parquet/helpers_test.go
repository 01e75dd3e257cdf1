package parquetfmt_test

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/format/csv/formattest"
	"github.com/drover-etl/drover/types"
)

// numbersSchema is the file writeNumbers makes: row i has id i, grp i/100,
// name "name-<i/100>", amount i/100 as decimal(10,2), day i/100 days after
// the epoch, ts i seconds after the epoch, f i/2 as float64 and opt NULL
// except in rows 300-399.
var numbersSchema = types.NewSchema(
	types.Field{Name: "id", Type: types.Int64Type, Nullable: true},
	types.Field{Name: "grp", Type: types.Int32Type, Nullable: true},
	types.Field{Name: "name", Type: types.StringType, Nullable: true},
	types.Field{Name: "amount", Type: types.DecimalOf(10, 2), Nullable: true},
	types.Field{Name: "day", Type: types.DateType, Nullable: true},
	types.Field{Name: "ts", Type: types.TimestampType, Nullable: true},
	types.Field{Name: "f", Type: types.Float64Type, Nullable: true},
	types.Field{Name: "opt", Type: types.Int64Type, Nullable: true},
)

func writeNumbers(t testing.TB, rows, rowGroupRows int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "numbers.parquet")
	rec := numbers(0, rows)
	defer rec.Release()
	formattest.Write(t, f, path, numbersSchema.Arrow(), map[string]string{"row_group_rows": strconv.Itoa(rowGroupRows)}, rec)
	return path
}

func numbers(from, to int) arrow.RecordBatch {
	b := array.NewRecordBuilder(memory.DefaultAllocator, numbersSchema.Arrow())
	defer b.Release()
	for i := from; i < to; i++ {
		b.Field(0).(*array.Int64Builder).Append(int64(i))
		b.Field(1).(*array.Int32Builder).Append(int32(i / 100))
		b.Field(2).(*array.StringBuilder).Append(fmt.Sprintf("name-%03d", i/100))
		b.Field(3).(*array.Decimal128Builder).Append(decimal128.FromI64(int64(i)))
		b.Field(4).(*array.Date32Builder).Append(arrow.Date32(i / 100))
		b.Field(5).(*array.TimestampBuilder).Append(arrow.Timestamp(int64(i) * 1_000_000))
		b.Field(6).(*array.Float64Builder).Append(float64(i) / 2)
		if i >= 300 && i < 400 {
			b.Field(7).(*array.Int64Builder).Append(int64(i))
		} else {
			b.Field(7).(*array.Int64Builder).AppendNull()
		}
	}
	return b.NewRecordBatch()
}

func countRows(recs []arrow.RecordBatch) int64 {
	var n int64
	for _, r := range recs {
		n += r.NumRows()
	}
	return n
}

func itoa(i int) string { return strconv.Itoa(i) }

func readFile(t *testing.T, path string) string {
	t.Helper()
	loc := formattest.Location(t, path)
	fh, err := loc.Store.Open(context.Background(), loc.Key)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	b, err := io.ReadAll(io.NewSectionReader(fh, 0, fh.Size()))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// formattestCreate opens a storage writer for raw pqarrow output.
func formattestCreate(t *testing.T, path string) io.WriteCloser {
	t.Helper()
	loc := formattest.Location(t, path)
	w, err := loc.Store.Create(context.Background(), loc.Key)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func sectionReader(f interface {
	io.ReaderAt
	Size() int64
}) *io.SectionReader {
	return io.NewSectionReader(f, 0, f.Size())
}
