package local

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// TestLargeRowGroupsFromOtherWriters runs a filtered aggregation over a
// Parquet file written as other engines write them (one 600,000-row
// group, small pages, page index on and off, dictionaries on and off):
// the reader cuts the row group into morsels and prunes pages by the
// page index, and the answer must be the one computed here.
func TestLargeRowGroupsFromOtherWriters(t *testing.T) {
	const rows = 600_000
	// want: k -> count(*), sum(v), count(v) over id >= 1000 and id < 550000.
	type agg struct{ n, sum, nv int64 }
	want := map[string]*agg{}
	for id := int64(1000); id < 550_000; id++ {
		k := fmt.Sprintf("k%d", id%7)
		a := want[k]
		if a == nil {
			a = &agg{}
			want[k] = a
		}
		a.n++
		if id%11 != 0 {
			a.sum += id * 3
			a.nv++
		}
	}
	var wantRows []string
	for i := range 7 {
		k := fmt.Sprintf("k%d", i)
		a := want[k]
		wantRows = append(wantRows, fmt.Sprintf("%s,%d,%d,%d", k, a.n, a.sum, a.nv))
	}
	for _, index := range []bool{true, false} {
		for _, dict := range []bool{true, false} {
			t.Run(fmt.Sprintf("index=%t/dict=%t", index, dict), func(t *testing.T) {
				dir := t.TempDir()
				data := filepath.Join(dir, "data")
				writeLargeRowGroup(t, filepath.Join(data, "t.parquet"), rows, index, dict)
				job := writeJob(t, dir, fmt.Sprintf(`
job "large-rg" {
  source "t" {
    format = "parquet"
    path   = %q
  }
  view "q" {
    sql = "SELECT k, count(*) AS n, sum(v) AS s, count(v) AS nv FROM t WHERE id >= 1000 AND id < 550000 GROUP BY k"
  }
  sink "out" {
    from   = "q"
    format = "csv"
    path   = %q
  }
}
`, data+"/", filepath.Join(dir, "out")+"/"))
				if _, err := runJob(t, job, runOpts{}); err != nil {
					t.Fatal(err)
				}
				checkCSVRows(t, filepath.Join(dir, "out"), wantRows...)
			})
		}
	}
}

// writeLargeRowGroup writes rows (id, k = "k<id%7>", v = 3id, NULL when
// id%11 == 0) as one row group with pqarrow.
func writeLargeRowGroup(t *testing.T, path string, rows int, index, dict bool) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "k", Type: arrow.BinaryTypes.String},
		{Name: "v", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for id := int64(0); id < int64(rows); id++ {
		b.Field(0).(*array.Int64Builder).Append(id)
		b.Field(1).(*array.StringBuilder).Append(fmt.Sprintf("k%d", id%7))
		if id%11 == 0 {
			b.Field(2).(*array.Int64Builder).AppendNull()
		} else {
			b.Field(2).(*array.Int64Builder).Append(id * 3)
		}
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Snappy),
		parquet.WithMaxRowGroupLength(int64(rows)), parquet.WithDataPageSize(8<<10),
		parquet.WithDictionaryDefault(dict), parquet.WithPageIndexEnabled(index), parquet.WithStats(true))
	fw, err := pqarrow.NewFileWriter(schema, f, props, pqarrow.DefaultWriterProps())
	if err != nil {
		t.Fatal(err)
	}
	if err := fw.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
}
