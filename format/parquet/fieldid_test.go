package parquetfmt_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/csv/formattest"
	parquetfmt "github.com/drover-etl/drover/format/parquet"
	"github.com/drover-etl/drover/types"
)

// TestFieldIDsWinOverNames: a file whose columns a (id 1) and b (id 2)
// were swapped by renames in the table (a is id 2 now) is read by id, row
// group pruning included; a column whose id the file lacks is missing.
func TestFieldIDsWinOverNames(t *testing.T) {
	// The reader returns both rows: pruning, not filtering, is tested.
	defer parquetfmt.SetLateMaterialization(false)()
	withID := func(name string, id string) arrow.Field {
		return arrow.Field{Name: name, Type: arrow.PrimitiveTypes.Int64, Nullable: true,
			Metadata: arrow.NewMetadata([]string{"PARQUET:field_id"}, []string{id})}
	}
	sch := arrow.NewSchema([]arrow.Field{withID("a", "1"), withID("b", "2")}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, sch)
	defer b.Release()
	b.Field(0).(*array.Int64Builder).AppendValues([]int64{1, 2}, nil)
	b.Field(1).(*array.Int64Builder).AppendValues([]int64{100, 200}, nil)
	rec := b.NewRecordBatch()
	defer rec.Release()
	path := filepath.Join(t.TempDir(), "ids.parquet")
	formattest.Write(t, f, path, sch, nil, rec)

	table := types.NewSchema(
		types.Field{Name: "a", Type: types.Int64Type, Nullable: true},
		types.Field{Name: "b", Type: types.Int64Type, Nullable: true},
	)
	// a > 150 holds for file column b only: by name the row group would be
	// pruned (file a is at most 2) and no row returned.
	filter := expr.Call(expr.FnGt, expr.BoundCol(0, table.Fields[0]), expr.Lit(types.Int64Value(150)))
	filter.Type = types.BoolType
	got, closeFn := openWhole(context.Background(), t, path, format.ReadOptions{Table: table, FieldIDs: []int{2, 1}, Filters: []*expr.Expr{filter}})
	defer closeFn()
	a, bcol := got.Column(0).(*array.Int64), got.Column(1).(*array.Int64)
	if got.NumRows() != 2 || a.Value(0) != 100 || a.Value(1) != 200 || bcol.Value(0) != 1 {
		t.Fatalf("read %v, want a = file b (100, 200) and b = file a (1, 2)", got)
	}

	missing := types.NewSchema(types.Field{Name: "a", Type: types.Int64Type, Nullable: true})
	if _, err := f.Open(context.Background(), format.Split{URL: path}, format.ReadOptions{Table: missing, FieldIDs: []int{3}}); err == nil {
		t.Fatal("a column whose field id the file lacks was found")
	}
	r, err := f.Open(context.Background(), format.Split{URL: path}, format.ReadOptions{Table: missing, FieldIDs: []int{3}, MissingAsNull: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	nulls, err := r.Next(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if nulls.Column(0).NullN() != 2 {
		t.Fatalf("read %v, want two NULLs", nulls)
	}
}
