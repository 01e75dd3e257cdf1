package parquetfmt

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/format"
	_ "github.com/drover-etl/drover/storage/local"
	"github.com/drover-etl/drover/types"
)

// TestReaderDecodesBoundedAhead: with a consumer that stops after one
// batch, the workers decode only a few row groups ahead, not the split.
func TestReaderDecodesBoundedAhead(t *testing.T) {
	const groups, rows = 40, 1000
	sch := arrow.NewSchema([]arrow.Field{{Name: "v", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)
	path := filepath.Join(t.TempDir(), "many.parquet")
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := newWriter(fh, sch, writeOptions{rowGroupRows: rows, rowGroupBytes: 1 << 30})
	if err != nil {
		t.Fatal(err)
	}
	b := array.NewInt64Builder(memory.DefaultAllocator)
	for i := range groups * rows {
		b.Append(int64(i))
	}
	col := b.NewArray()
	rec := array.NewRecordBatch(sch, []arrow.Array{col}, groups*rows)
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	fh.Close()

	table := types.NewSchema(types.Field{Name: "v", Type: types.Int64Type, Nullable: true})
	br, err := Format{}.Open(context.Background(), format.Split{URL: path}, format.ReadOptions{Table: table, BatchRows: rows})
	if err != nil {
		t.Fatal(err)
	}
	defer br.Close()
	first, err := br.Next(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	first.Release()
	time.Sleep(100 * time.Millisecond) // let the workers run ahead
	r := br.(*reader)
	decoded := 0
	for _, s := range r.slots[1:] {
		decoded += len(s)
	}
	if limit := aheadPerWorker * min(runtime.GOMAXPROCS(0), groups); decoded > limit {
		t.Fatalf("%d row groups decoded ahead of the consumer, want at most %d", decoded, limit)
	}
}
