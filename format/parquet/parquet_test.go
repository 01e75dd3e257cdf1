package parquetfmt_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/csv/formattest"
	parquetfmt "github.com/drover-etl/drover/format/parquet"
	"github.com/drover-etl/drover/types"
)

var f = parquetfmt.Format{}

func TestRoundTripAllTypes(t *testing.T) {
	for _, codec := range []string{"snappy", "zstd", "gzip", "none"} {
		t.Run(codec, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "all.parquet")
			rec := formattest.AllTypes()
			defer rec.Release()
			formattest.Write(t, f, path, formattest.AllTypesSchema.Arrow(), map[string]string{"compression": codec}, rec)

			inferred, err := f.Infer(context.Background(), formattest.Location(t, path), nil)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := inferred.String(), formattest.AllTypesSchema.String(); got != want {
				t.Fatalf("Infer = %s, want %s", got, want)
			}
			recs, err := formattest.Scan(f, path, 0, format.ReadOptions{Table: formattest.AllTypesSchema, BatchRows: 4})
			if err != nil {
				t.Fatal(err)
			}
			defer formattest.Release(recs)
			formattest.CheckTypes(t, formattest.AllTypesSchema, recs)
			formattest.Equal(t, formattest.AllTypesRows, formattest.Rows(t, recs))
		})
	}
}

func TestDictionaryStrings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "all.parquet")
	rec := formattest.AllTypes()
	defer rec.Release()
	formattest.Write(t, f, path, formattest.AllTypesSchema.Arrow(), nil, rec)
	recs, err := formattest.Scan(f, path, 0, format.ReadOptions{Table: formattest.AllTypesSchema, Columns: []int{7}})
	if err != nil {
		t.Fatal(err)
	}
	defer formattest.Release(recs)
	if id := recs[0].Column(0).DataType().ID(); id != arrow.DICTIONARY {
		t.Fatalf("string column read as %s, want a dictionary", recs[0].Column(0).DataType())
	}
}

func TestProjection(t *testing.T) {
	path := filepath.Join(t.TempDir(), "all.parquet")
	rec := formattest.AllTypes()
	defer rec.Release()
	formattest.Write(t, f, path, formattest.AllTypesSchema.Arrow(), nil, rec)
	cols := []int{9, 2, 2}
	recs, err := formattest.Scan(f, path, 0, format.ReadOptions{Table: formattest.AllTypesSchema, Columns: cols})
	if err != nil {
		t.Fatal(err)
	}
	defer formattest.Release(recs)
	formattest.CheckTypes(t, formattest.AllTypesSchema.Project(cols), recs)
	var want [][]string
	for _, r := range formattest.AllTypesRows {
		want = append(want, []string{r[9], r[2], r[2]})
	}
	formattest.Equal(t, want, formattest.Rows(t, recs))
}

func TestCountOnlyProjection(t *testing.T) {
	path := writeNumbers(t, 1000, 100)
	recs, err := formattest.Scan(f, path, 0, format.ReadOptions{Table: numbersSchema, Columns: []int{}, BatchRows: 64})
	if err != nil {
		t.Fatal(err)
	}
	defer formattest.Release(recs)
	if n := countRows(recs); n != 1000 || recs[0].NumCols() != 0 {
		t.Fatalf("got %d rows in %d columns", n, recs[0].NumCols())
	}
}

func TestSplitsAndOrder(t *testing.T) {
	path := writeNumbers(t, 10000, 500)
	for _, target := range []int64{0, 1, 3000, 1 << 30} {
		recs, err := formattest.Scan(f, path, target, format.ReadOptions{Table: numbersSchema, Columns: []int{0}, BatchRows: 128})
		if err != nil {
			t.Fatal(err)
		}
		rows := formattest.Rows(t, recs)
		formattest.Release(recs)
		if len(rows) != 10000 {
			t.Fatalf("target %d: %d rows", target, len(rows))
		}
		for i, r := range rows {
			if r[0] != itoa(i) {
				t.Fatalf("target %d: row %d is %s: order not kept", target, i, r[0])
			}
		}
	}
	loc := formattest.Location(t, path)
	splits, err := f.Split(context.Background(), loc, 0, 1)
	if err != nil || len(splits) != 20 || len(splits[3].RowGroups) != 1 || splits[3].RowGroups[0] != 3 {
		t.Fatalf("Split = %v, %v; want one split per row group", splits, err)
	}
}

func TestCorruptFiles(t *testing.T) {
	dir := t.TempDir()
	good := writeNumbers(t, 1000, 100)
	data := []byte(readFile(t, good))
	cases := map[string][]byte{
		"truncated.parquet": data[:len(data)/2],
		"text.parquet":      []byte("id,name\n1,x\n"),
		"empty.parquet":     nil,
		"badfooter.parquet": append(append([]byte{}, data[:len(data)-12]...), []byte("\xff\xff\xff\xff\xff\xff\xff\x00PAR1")...),
	}
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			formattest.Put(t, path, content)
			_, err := f.Infer(context.Background(), formattest.Location(t, path), nil)
			checkCorrupt(t, err, path)
			_, err = formattest.Scan(f, path, 0, format.ReadOptions{Table: numbersSchema})
			checkCorrupt(t, err, path)
		})
	}
}

func checkCorrupt(t *testing.T, err error, path string) {
	t.Helper()
	if !errors.Is(err, format.ErrCorrupt) || !strings.Contains(err.Error(), path) {
		t.Fatalf("error %v: want ErrCorrupt naming %s", err, path)
	}
}

func TestMissingColumn(t *testing.T) {
	path := writeNumbers(t, 10, 10)
	table := types.NewSchema(types.Field{Name: "nope", Type: types.Int64Type})
	_, err := formattest.Scan(f, path, 0, format.ReadOptions{Table: table})
	if err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Fatalf("error %v, want one naming the column", err)
	}
}

func TestCaseInsensitiveColumns(t *testing.T) {
	path := writeNumbers(t, 10, 10)
	table := types.NewSchema(types.Field{Name: "ID", Type: types.Int64Type})
	recs, err := formattest.Scan(f, path, 0, format.ReadOptions{Table: table})
	if err != nil {
		t.Fatal(err)
	}
	defer formattest.Release(recs)
	if countRows(recs) != 10 {
		t.Fatal("wrong row count")
	}
}

// TestDictionaryFallback reads a string column whose dictionary outgrew
// the writer's limit, so later pages are plain: it comes out as plain
// strings (re-hashing every plain value into a dictionary cost more than
// decoding them) with the right values.
func TestDictionaryFallback(t *testing.T) {
	const rows = 200_000
	mem := memory.DefaultAllocator
	sch := arrow.NewSchema([]arrow.Field{{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)
	// The first batch repeats a few values, so the writer starts with a
	// dictionary; the unique values after it overflow the dictionary.
	const repeated = 10_000
	var batches []arrow.RecordBatch
	for _, r := range [][2]int{{0, repeated}, {repeated, rows}} {
		sb := array.NewStringBuilder(mem)
		for i := r[0]; i < r[1]; i++ {
			if i < repeated {
				sb.Append(fmt.Sprintf("repeat-%d", i%3))
			} else {
				sb.Append(fmt.Sprintf("unique-value-%09d", i))
			}
		}
		col := sb.NewArray()
		batches = append(batches, array.NewRecordBatch(sch, []arrow.Array{col}, int64(r[1]-r[0])))
		col.Release()
		sb.Release()
	}
	defer formattest.Release(batches)
	path := filepath.Join(t.TempDir(), "fallback.parquet")
	formattest.Write(t, f, path, sch, nil, batches...)
	table := types.NewSchema(types.Field{Name: "s", Type: types.StringType, Nullable: true})
	recs, err := formattest.Scan(f, path, 0, format.ReadOptions{Table: table})
	if err != nil {
		t.Fatal(err)
	}
	defer formattest.Release(recs)
	formattest.CheckTypes(t, table, recs)
	for _, r := range recs {
		if id := r.Column(0).DataType().ID(); id != arrow.STRING {
			t.Fatalf("read as %s, want plain strings", r.Column(0).DataType())
		}
	}
	got := formattest.Rows(t, recs)
	if len(got) != rows || got[rows-1][0] != fmt.Sprintf("unique-value-%09d", rows-1) || got[12345][0] != "unique-value-000012345" || got[4][0] != "repeat-1" {
		t.Fatalf("wrong values after fallback: %d rows", len(got))
	}
}
