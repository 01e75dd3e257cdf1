package parquetfmt

import (
	"io"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// TestWriterReportsBufferedBytes: the row group being filled counts as
// buffered until the row group is written out.
func TestWriterReportsBufferedBytes(t *testing.T) {
	sch := arrow.NewSchema([]arrow.Field{{Name: "v", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)
	w, err := newWriter(io.Discard, sch, writeOptions{rowGroupRows: 1 << 20, rowGroupBytes: 60000})
	if err != nil {
		t.Fatal(err)
	}
	b := array.NewInt64Builder(memory.DefaultAllocator)
	for i := range 1000 {
		b.Append(int64(i))
	}
	col := b.NewArray()
	b.Release()
	rec := array.NewRecordBatch(sch, []arrow.Array{col}, 1000)
	col.Release()
	defer rec.Release()
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	for range 6 {
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
	}
	filling := w.BufferedBytes() // 56000 bytes of values in the row group
	if filling < 56000+1<<20 {
		t.Fatalf("%d bytes buffered with a 56000-byte row group and a 1 MiB output buffer", filling)
	}
	if err := w.Write(rec); err != nil { // past rowGroupBytes: the row group goes out
		t.Fatal(err)
	}
	if got := w.BufferedBytes(); got > 1<<20 {
		t.Fatalf("%d bytes buffered after the row group was written, %d before", got, filling)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}
