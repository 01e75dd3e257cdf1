package parquetfmt

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	arrowmem "github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/format"
	dmem "github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/types"
)

// The reader's units in flight are counted in the task's pool: under a
// pool too small for read-ahead it decodes one unit at a time, every row
// still arrives in order, and Close gives everything back.
func TestReadAheadCountedInPool(t *testing.T) {
	const groups, rows = 12, 1000
	path := writeInt64Groups(t, groups, rows)
	table := types.NewSchema(types.Field{Name: "v", Type: types.Int64Type, Nullable: true})
	for _, tc := range []struct {
		name     string
		limit    int64
		maxUnits int // most units in flight seen by the consumer
	}{
		{"pool too small for read-ahead: one unit at a time", 1, 1},
		{"ample pool: read-ahead as without one", 1 << 30, groups},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pool := dmem.NewPool(tc.limit)
			br, err := Format{}.Open(context.Background(), format.Split{URL: path},
				format.ReadOptions{Table: table, BatchRows: rows, Pool: pool})
			if err != nil {
				t.Fatal(err)
			}
			r := br.(*reader)
			var next int64
			for {
				rec, err := br.Next(context.Background())
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				r.ahead.mu.Lock()
				inFlight := len(r.ahead.held)
				r.ahead.mu.Unlock()
				if inFlight > tc.maxUnits {
					t.Fatalf("%d units in flight, want at most %d", inFlight, tc.maxUnits)
				}
				if inFlight == 0 || pool.Held() <= 0 {
					t.Fatalf("a batch in hand but %d units counted, %d bytes held", inFlight, pool.Held())
				}
				col := rec.Column(0).(*array.Int64)
				for i := range col.Len() {
					if col.Value(i) != next {
						t.Fatalf("row %d: %d", next, col.Value(i))
					}
					next++
				}
				rec.Release()
			}
			if next != groups*rows {
				t.Fatalf("%d rows, want %d", next, groups*rows)
			}
			if err := br.Close(); err != nil {
				t.Fatal(err)
			}
			if pool.Held() != 0 {
				t.Fatalf("%d bytes still held after Close", pool.Held())
			}
		})
	}
}

func writeInt64Groups(t *testing.T, groups, rows int) string {
	t.Helper()
	sch := arrow.NewSchema([]arrow.Field{{Name: "v", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)
	path := filepath.Join(t.TempDir(), "groups.parquet")
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	w, err := newWriter(fh, sch, writeOptions{rowGroupRows: int64(rows), rowGroupBytes: 1 << 30})
	if err != nil {
		t.Fatal(err)
	}
	b := array.NewInt64Builder(arrowmem.DefaultAllocator)
	for i := range groups * rows {
		b.Append(int64(i))
	}
	rec := array.NewRecordBatch(sch, []arrow.Array{b.NewArray()}, int64(groups*rows))
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}
