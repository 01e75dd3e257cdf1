package csvfmt_test

import (
	"context"
	"io"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/csv/formattest"
)

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

// dictBatch has a dictionary string column (as a Parquet scan produces).
func dictBatch(t *testing.T) arrow.RecordBatch {
	t.Helper()
	mem := memory.DefaultAllocator
	dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	db := array.NewDictionaryBuilder(mem, dt).(*array.BinaryDictionaryBuilder)
	defer db.Release()
	for _, v := range []string{"a,b", "", "\x00", "a,b"} {
		if v == "\x00" {
			db.AppendNull()
			continue
		}
		if err := db.AppendString(v); err != nil {
			t.Fatal(err)
		}
	}
	s := db.NewArray()
	defer s.Release()
	nb := array.NewInt64Builder(mem)
	defer nb.Release()
	nb.AppendValues([]int64{1, 0, 2, 3}, []bool{true, false, true, true})
	n := nb.NewArray()
	defer n.Release()
	schema := arrow.NewSchema([]arrow.Field{{Name: "s", Type: dt, Nullable: true}, {Name: "n", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)
	return array.NewRecordBatch(schema, []arrow.Array{s, n}, 4)
}

func splitsOf(t *testing.T, path string, target int64, opts map[string]string) []format.Split {
	t.Helper()
	loc := formattest.Location(t, path)
	info, err := loc.Store.Stat(context.Background(), loc.Key)
	if err != nil {
		t.Fatal(err)
	}
	splits, err := format.SplitFile(context.Background(), f, loc, info.Size, target, opts)
	if err != nil {
		t.Fatal(err)
	}
	return splits
}
