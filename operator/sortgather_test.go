package operator

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// TestSortedCopyMatchesConcatAndTake: gathering column by column gives the
// rows the whole-buffer way (concatenate, then take) gives, across batches
// with different dictionaries, and empties the buffer it was handed.
func TestSortedCopyMatchesConcatAndTake(t *testing.T) {
	dictType := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "s", Type: dictType, Nullable: true},
		{Name: "v", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "k", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	}, nil)
	batchOf := func(words []string, vs, ks []int64) arrow.RecordBatch {
		db := array.NewDictionaryBuilder(memory.DefaultAllocator, dictType).(*array.BinaryDictionaryBuilder)
		defer db.Release()
		for _, w := range words {
			db.AppendString(w)
		}
		vb := array.NewInt64Builder(memory.DefaultAllocator)
		defer vb.Release()
		vb.AppendValues(vs, nil)
		kb := array.NewInt64Builder(memory.DefaultAllocator)
		defer kb.Release()
		kb.AppendValues(ks, nil)
		cols := []arrow.Array{db.NewArray(), vb.NewArray(), kb.NewArray()}
		defer releaseAll(cols)
		return array.NewRecordBatch(schema, cols, int64(len(vs)))
	}
	build := func() []arrow.RecordBatch {
		return []arrow.RecordBatch{
			batchOf([]string{"c", "a", "b"}, []int64{1, 2, 3}, []int64{30, 10, 20}),
			batchOf([]string{"z", "y"}, []int64{4, 5}, []int64{15, 5}),
			batchOf([]string{"q", "c", "a", "m"}, []int64{6, 7, 8, 9}, []int64{25, 30, 0, 12}),
		}
	}
	keys := []logical.SortKey{{Expr: expr.BoundCol(2, types.Field{Name: "k", Type: types.Int64Type, Nullable: true})}}

	old := build()
	cols, n, err := concatRecords(schema, old)
	releaseRecs(old)
	if err != nil {
		t.Fatal(err)
	}
	taken, err := takeRows(cols, sortPermutation(cols[2:], keys, n))
	releaseAll(cols)
	if err != nil {
		t.Fatal(err)
	}
	want := array.NewRecordBatch(schemaOf(taken), taken, int64(n))
	releaseAll(taken)
	defer want.Release()

	recs := build()
	got, err := sortedCopy(recs, keys)
	if err != nil {
		t.Fatal(err)
	}
	defer got.Release()
	for i, r := range recs {
		if r != nil {
			t.Fatalf("batch %d is still referenced by the buffer handed over", i)
		}
	}
	if !array.RecordEqual(got, want) {
		t.Fatalf("column-by-column sort:\n%v\nwant (concatenate, then take):\n%v", got, want)
	}
	if v := got.Column(1).(*array.Int64).Int64Values(); v[0] != 8 || v[len(v)-1] != 7 {
		t.Fatalf("values in key order: %v", v)
	}
}
