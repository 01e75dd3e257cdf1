package parquetfmt_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/csv/formattest"
	"github.com/drover-etl/drover/types"
)

// TestDictionaryOnlyWhereValuesRepeat: unique keys and comments are
// written plain, a repetitive status column with a dictionary.
func TestDictionaryOnlyWhereValuesRepeat(t *testing.T) {
	const rows = 20_000
	mem := memory.DefaultAllocator
	sch := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "comment", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "status", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "day", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(mem, sch)
	defer b.Release()
	for i := range rows {
		b.Field(0).(*array.Int64Builder).Append(int64(i) * 7)
		b.Field(1).(*array.StringBuilder).Append(fmt.Sprintf("comment number %d", i))
		b.Field(2).(*array.StringBuilder).Append([]string{"paid", "open", "void"}[i%3])
		b.Field(3).(*array.Date32Builder).Append(arrow.Date32(i % 2000))
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	path := filepath.Join(t.TempDir(), "dict.parquet")
	formattest.Write(t, f, path, sch, nil, rec)

	loc := formattest.Location(t, path)
	fh, err := loc.Store.Open(t.Context(), loc.Key)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	rdr, err := file.NewParquetReader(sectionReader(fh))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"id": false, "comment": false, "status": true, "day": true}
	rg := rdr.MetaData().RowGroup(0)
	for name, dict := range want {
		cc, err := rg.ColumnChunk(rdr.MetaData().Schema.ColumnIndexByName(name))
		if err != nil {
			t.Fatal(err)
		}
		if cc.HasDictionaryPage() != dict {
			t.Errorf("column %s: dictionary page %v, want %v", name, cc.HasDictionaryPage(), dict)
		}
	}
	table := types.NewSchema(
		types.Field{Name: "id", Type: types.Int64Type, Nullable: true},
		types.Field{Name: "comment", Type: types.StringType, Nullable: true},
		types.Field{Name: "status", Type: types.StringType, Nullable: true},
		types.Field{Name: "day", Type: types.DateType, Nullable: true},
	)
	recs, err := formattest.Scan(f, path, 0, format.ReadOptions{Table: table})
	if err != nil {
		t.Fatal(err)
	}
	defer formattest.Release(recs)
	if got := formattest.Rows(t, recs); len(got) != rows || got[rows-1][1] != fmt.Sprintf("comment number %d", rows-1) {
		t.Fatalf("read back %d rows", len(got))
	}
}
