package parquetfmt_test

import (
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

// TestStoredArrowSchema reads a file whose stored Arrow schema (as pyarrow
// and arrow-go write with WithStoreSchema) has a dictionary column and a
// large_string column.
func TestStoredArrowSchema(t *testing.T) {
	mem := memory.DefaultAllocator
	dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	db := array.NewDictionaryBuilder(mem, dt).(*array.BinaryDictionaryBuilder)
	for _, s := range []string{"b", "a", "b"} {
		_ = db.AppendString(s)
	}
	defer db.Release()
	s := db.NewArray()
	defer s.Release()
	sch := arrow.NewSchema([]arrow.Field{{Name: "s", Type: dt, Nullable: true}, {Name: "l", Type: arrow.BinaryTypes.LargeString, Nullable: true}}, nil)
	lb := array.NewLargeStringBuilder(mem)
	lb.AppendValues([]string{"x", "y", "z"}, nil)
	defer lb.Release()
	l := lb.NewArray()
	defer l.Release()
	rec := array.NewRecordBatch(sch, []arrow.Array{s, l}, 3)
	defer rec.Release()
	path := filepath.Join(t.TempDir(), "sd.parquet")
	fw, err := pqarrow.NewFileWriter(sch, formattestCreate(t, path), parquet.NewWriterProperties(), pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		t.Fatal(err)
	}
	if err := fw.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	table := types.NewSchema(types.Field{Name: "s", Type: types.StringType}, types.Field{Name: "l", Type: types.StringType})
	recs, err := formattest.Scan(f, path, 0, format.ReadOptions{Table: table})
	if err != nil {
		t.Fatal(err)
	}
	defer formattest.Release(recs)
	formattest.CheckTypes(t, table, recs)
	formattest.Equal(t, [][]string{{"b", "x"}, {"a", "y"}, {"b", "z"}}, formattest.Rows(t, recs))
}
