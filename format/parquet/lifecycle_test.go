package parquetfmt_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/csv/formattest"
	"github.com/drover-etl/drover/types"
)

func openWhole(ctx context.Context, t *testing.T, path string, ro format.ReadOptions) (arrow.RecordBatch, func() error) {
	t.Helper()
	r, err := f.Open(ctx, format.Split{URL: path}, ro)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := r.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return rec, r.Close
}

// TestEarlyClose stops reading after one batch while workers still have
// row groups to decode: Close must not hang or leak batches.
func TestEarlyClose(t *testing.T) {
	path := writeNumbers(t, 10000, 500)
	rec, closeFn := openWhole(context.Background(), t, path, format.ReadOptions{Table: numbersSchema, BatchRows: 50})
	rec.Release()
	if err := closeFn(); err != nil {
		t.Fatal(err)
	}
	if err := closeFn(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

// TestCanceledContext: a context ended mid-scan is an error, never a
// clean (and silently short) end of data.
func TestCanceledContext(t *testing.T) {
	path := writeNumbers(t, 10000, 500)
	ctx, cancel := context.WithCancel(context.Background())
	r, err := f.Open(ctx, format.Split{URL: path}, format.ReadOptions{Table: numbersSchema, BatchRows: 50})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rec, err := r.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rec.Release()
	cancel()
	for {
		rec, err := r.Next(context.Background())
		if err == nil {
			rec.Release()
			continue
		}
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Next after cancel = %v, want context.Canceled", err)
		}
		return
	}
}

// TestNestedColumnsSkipped: Infer leaves out a list column and the flat
// columns still read.
func TestNestedColumnsSkipped(t *testing.T) {
	mem := memory.DefaultAllocator
	sch := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "tags", Type: arrow.ListOf(arrow.BinaryTypes.String), Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(mem, sch)
	defer b.Release()
	b.Field(0).(*array.Int64Builder).AppendValues([]int64{1, 2}, nil)
	lb := b.Field(1).(*array.ListBuilder)
	lb.Append(true)
	lb.ValueBuilder().(*array.StringBuilder).Append("x")
	lb.AppendNull()
	rec := b.NewRecordBatch()
	defer rec.Release()
	path := filepath.Join(t.TempDir(), "nested.parquet")
	fw, err := pqarrow.NewFileWriter(sch, formattestCreate(t, path), parquet.NewWriterProperties(), pqarrow.DefaultWriterProps())
	if err != nil {
		t.Fatal(err)
	}
	if err := fw.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := f.Infer(context.Background(), formattest.Location(t, path), nil)
	if err != nil || s.String() != "id:int64" {
		t.Fatalf("Infer = %v, %v; want id:int64", s, err)
	}
	recs, err := formattest.Scan(f, path, 0, format.ReadOptions{Table: s})
	if err != nil {
		t.Fatal(err)
	}
	defer formattest.Release(recs)
	formattest.Equal(t, [][]string{{"1"}, {"2"}}, formattest.Rows(t, recs))
	bad := types.NewSchema(types.Field{Name: "tags", Type: types.StringType})
	if _, err := formattest.Scan(f, path, 0, format.ReadOptions{Table: bad}); err == nil {
		t.Fatal("reading a list column as a string should fail")
	}
}
