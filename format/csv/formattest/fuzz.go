package formattest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/types"
)

// fuzzTable is a declared schema of every type a reader converts to, so a
// fuzz run exercises the conversions as well as the inferred path.
var fuzzTable = types.NewSchema(
	types.Field{Name: "a", Type: types.Int64Type, Nullable: true},
	types.Field{Name: "b", Type: types.StringType, Nullable: true},
	types.Field{Name: "c", Type: types.Float64Type, Nullable: true},
	types.Field{Name: "d", Type: types.DecimalOf(10, 2), Nullable: true},
	types.Field{Name: "e", Type: types.DateType, Nullable: true},
	types.Field{Name: "f", Type: types.TimestampType, Nullable: true},
	types.Field{Name: "g", Type: types.BoolType, Nullable: true},
)

// FuzzRead is the body of a reader fuzz target: it stores data as a file,
// infers its schema and reads it back, then reads it again against a
// declared schema of every type. Any error is acceptable; a panic, a
// hang or a batch that disagrees with its schema is not.
func FuzzRead(t *testing.T, f format.Format, data []byte, options map[string]string) {
	path := filepath.Join(t.TempDir(), "in."+f.Extension())
	Put(t, path, data)
	ctx := context.Background()
	if schema, err := f.Infer(ctx, Location(t, path), options); err == nil {
		checkScan(t, f, path, format.ReadOptions{Table: schema, Options: options})
	}
	checkScan(t, f, path, format.ReadOptions{Table: fuzzTable, Options: options, Columns: []int{6, 0, 1, 2, 3, 4, 5}})
}

func checkScan(t *testing.T, f format.Format, path string, ro format.ReadOptions) {
	recs, err := Scan(f, path, 1<<10, ro)
	if err != nil {
		return
	}
	defer Release(recs)
	want := len(ro.Columns)
	if ro.Columns == nil {
		want = ro.Table.Len()
	}
	for _, r := range recs {
		if int(r.NumCols()) != want {
			t.Fatalf("batch has %d columns, want %d", r.NumCols(), want)
		}
		for i, col := range r.Columns() {
			if int64(col.Len()) != r.NumRows() {
				t.Fatalf("column %d has %d values in a batch of %d rows", i, col.Len(), r.NumRows())
			}
		}
	}
}
