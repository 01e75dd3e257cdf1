package dataset

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/format"
	_ "github.com/drover-etl/drover/format/csv"
	"github.com/drover-etl/drover/format/csv/formattest"
	_ "github.com/drover-etl/drover/format/jsonl"
	_ "github.com/drover-etl/drover/format/parquet"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/types"
)

func lookup(t *testing.T, name string) format.Format {
	t.Helper()
	f, err := format.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// resolve lists path and resolves it as a dataset.
func resolve(t *testing.T, cfg Config) (*Dataset, []storage.Location, error) {
	t.Helper()
	locs, err := storage.Expand(context.Background(), cfg.Path)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Files = locs
	ds, err := Resolve(context.Background(), cfg)
	return ds, locs, err
}

// readAll reads every file of ds through Open with all columns.
func readAll(t *testing.T, f format.Format, ds *Dataset, locs []storage.Location, columns []int) [][]string {
	t.Helper()
	ctx := context.Background()
	var rows [][]string
	for i, loc := range locs {
		sp := format.Split{URL: loc.URL()}
		if ds.Partitions != nil {
			sp.Partition = ds.Partitions[i]
		}
		r, err := Open(ctx, f, sp, format.ReadOptions{Table: ds.Schema, Columns: columns, MissingAsNull: ds.MissingAsNull}, ds.PartitionColumns)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := batch.ReadAll(ctx, r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, formattest.Rows(t, recs)...)
		formattest.Release(recs)
	}
	return rows
}

func TestResolvePartitionedCSV(t *testing.T) {
	dir := t.TempDir()
	put := func(rel, body string) { formattest.Put(t, filepath.Join(dir, rel), []byte(body)) }
	put("day=2026-11-20/region=eu/a.csv", "id,amt\n1,1.5\n2,2.5\n")
	put("day=2026-11-20/region=a%2Fb/a.csv", "id,amt\n3,3.5\n")
	put("day=__HIVE_DEFAULT_PARTITION__/region=/a.csv", "id,amt\n4,4.5\n")
	put("_SUCCESS", "")
	f := lookup(t, "csv")
	ds, locs, err := resolve(t, Config{Format: f, Path: dir + "/", Options: map[string]string{"header": "true"}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := render(ds.Schema), "id int64, amt float64, day date, region string"; got != want {
		t.Errorf("schema = %s, want %s", got, want)
	}
	if ds.PartitionColumns != 2 || ds.MissingAsNull {
		t.Errorf("PartitionColumns = %d, MissingAsNull = %v", ds.PartitionColumns, ds.MissingAsNull)
	}
	// Projection in any order, partition columns between file columns.
	got := readAll(t, f, ds, locs, []int{3, 0, 2})
	formattest.Equal(t, [][]string{
		{"a/b", "3", "2026-11-20"},
		{"eu", "1", "2026-11-20"},
		{"eu", "2", "2026-11-20"},
		{"", "4", "NULL"},
	}, got)
	// Only partition columns: the file reader still counts the rows.
	if got := readAll(t, f, ds, locs, []int{3}); len(got) != 4 {
		t.Errorf("partition-only projection read %d rows, want 4", len(got))
	}
}

func TestResolveDeclaredPartitionTypes(t *testing.T) {
	dir := t.TempDir()
	formattest.Put(t, filepath.Join(dir, "price=12.50/k=7/a.csv"), []byte("id\n1\n"))
	f := lookup(t, "csv")
	ds, locs, err := resolve(t, Config{Format: f, Path: dir, Options: map[string]string{"header": "true"},
		PartitionTypes: []types.Field{{Name: "PRICE", Type: types.DecimalOf(9, 2)}}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := render(ds.Schema), "id int64, price decimal(9,2), k int64"; got != want {
		t.Errorf("schema = %s, want %s", got, want)
	}
	formattest.Equal(t, [][]string{{"1", "12.50", "7"}}, readAll(t, f, ds, locs, nil))

	_, _, err = resolve(t, Config{Format: f, Path: dir, Options: map[string]string{"header": "true"},
		PartitionTypes: []types.Field{{Name: "day", Type: types.DateType}}})
	if !errors.Is(err, ErrLayout) || !contains(err.Error(), `"day"`) || !contains(err.Error(), "[price, k]") {
		t.Errorf("undeclared key: err = %v", err)
	}
	_, _, err = resolve(t, Config{Format: f, Path: dir, Options: map[string]string{"header": "true"},
		PartitionTypes: []types.Field{{Name: "k", Type: types.DateType}}})
	if !errors.Is(err, ErrPartitionValue) || !contains(err.Error(), "k=7") || !contains(err.Error(), "a.csv") {
		t.Errorf("bad value: err = %v", err)
	}
}

func TestResolveHiveSwitch(t *testing.T) {
	dir := t.TempDir()
	formattest.Put(t, filepath.Join(dir, "day=1/a.csv"), []byte("id\n1\n"))
	formattest.Put(t, filepath.Join(dir, "plain/b.csv"), []byte("id\n2\n"))
	f := lookup(t, "csv")
	opts := map[string]string{"header": "true"}
	off, on := false, true
	ds, _, err := resolve(t, Config{Format: f, Path: dir, Options: opts, Hive: &off})
	if err != nil || ds.PartitionColumns != 0 {
		t.Errorf("hive_partitioning = false: %v, %d partition columns", err, ds.PartitionColumns)
	}
	_, _, err = resolve(t, Config{Format: f, Path: dir, Options: opts})
	if !errors.Is(err, ErrLayout) {
		t.Errorf("mixed levels detected: err = %v, want ErrLayout", err)
	}
	_, _, err = resolve(t, Config{Format: f, Path: filepath.Join(dir, "plain"), Options: opts, Hive: &on})
	if !errors.Is(err, ErrLayout) {
		t.Errorf("hive_partitioning = true without directories: err = %v, want ErrLayout", err)
	}
	ds, _, err = resolve(t, Config{Format: f, Path: filepath.Join(dir, "plain"), Options: opts})
	if err != nil || ds.PartitionColumns != 0 {
		t.Errorf("no directories: %v, %d partition columns", err, ds.PartitionColumns)
	}
	// A path naming one file inside a partition has no partition columns.
	ds, _, err = resolve(t, Config{Format: f, Path: filepath.Join(dir, "day=1", "a.csv"), Options: opts})
	if err != nil || ds.PartitionColumns != 0 {
		t.Errorf("path of one file: %v, %d partition columns", err, ds.PartitionColumns)
	}
	// Partition directories inside the path itself are not columns.
	ds, _, err = resolve(t, Config{Format: f, Path: filepath.Join(dir, "day=1"), Options: opts})
	if err != nil || ds.PartitionColumns != 0 {
		t.Errorf("path inside a partition: %v, %d partition columns", err, ds.PartitionColumns)
	}
}

func TestResolveRejectsColumnNamedLikeKey(t *testing.T) {
	dir := t.TempDir()
	formattest.Put(t, filepath.Join(dir, "id=1/a.csv"), []byte("id,x\n1,2\n"))
	_, _, err := resolve(t, Config{Format: lookup(t, "csv"), Path: dir, Options: map[string]string{"header": "true"}})
	if !errors.Is(err, ErrLayout) || !contains(err.Error(), "a.csv") || !contains(err.Error(), "hive_partitioning = false") {
		t.Errorf("err = %v", err)
	}
}

// writeParquet writes a file of the given columns and rows (nil: NULL;
// decimals as unscaled ints).
func writeParquet(t *testing.T, path string, fields []types.Field, rows ...[]any) {
	t.Helper()
	sch := types.NewSchema(fields...).Arrow()
	b := array.NewRecordBuilder(memory.DefaultAllocator, sch)
	defer b.Release()
	for _, row := range rows {
		for i, v := range row {
			appendValue(t, b.Field(i), v)
		}
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	formattest.Write(t, lookup(t, "parquet"), path, sch, nil, rec)
}

func appendValue(t *testing.T, b array.Builder, v any) {
	if v == nil {
		b.AppendNull()
		return
	}
	switch b := b.(type) {
	case *array.Int32Builder:
		b.Append(int32(v.(int)))
	case *array.Int64Builder:
		b.Append(int64(v.(int)))
	case *array.StringBuilder:
		b.Append(v.(string))
	case *array.Decimal128Builder:
		b.Append(decimal128.FromI64(int64(v.(int))))
	default:
		t.Fatalf("no appender for %T", b)
	}
}

func fld(name string, t types.Type) types.Field {
	return types.Field{Name: name, Type: t, Nullable: true}
}

func TestSchemaEvolutionParquet(t *testing.T) {
	dir := t.TempDir()
	// v1: id int32, amt decimal(9,2); v2 widens both and adds note.
	writeParquet(t, filepath.Join(dir, "v1.parquet"), []types.Field{fld("id", types.Int32Type), fld("amt", types.DecimalOf(9, 2))},
		[]any{1, 1050}, []any{2, nil})
	writeParquet(t, filepath.Join(dir, "v2.parquet"), []types.Field{fld("id", types.Int64Type), fld("note", types.StringType), fld("amt", types.DecimalOf(12, 4))},
		[]any{5_000_000_000, "hi", 123456}, []any{4, nil, 1})
	f := lookup(t, "parquet")
	ds, locs, err := resolve(t, Config{Format: f, Path: dir})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := render(ds.Schema), "id int64, amt decimal(12,4), note string"; got != want {
		t.Errorf("merged schema = %s, want %s", got, want)
	}
	if !ds.MissingAsNull {
		t.Error("a merged schema must read absent columns as NULL")
	}
	formattest.Equal(t, [][]string{
		{"1", "10.5000", "NULL"},
		{"2", "NULL", "NULL"},
		{"5000000000", "12.3456", "hi"},
		{"4", "0.0001", "NULL"},
	}, readAll(t, f, ds, locs, nil))
	// Row-group statistics of the narrower file prune against the merged
	// type: v1's int32 ids are all below the bound.
	filter, err := expr.Bind(expr.Call(expr.FnGe, expr.Col("", "id"), expr.Lit(types.Int64Value(5_000_000_000))), ds.Schema, nil)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Open(context.Background(), f, format.Split{URL: locs[0].URL()}, format.ReadOptions{Table: ds.Schema, Filters: []*expr.Expr{filter}, MissingAsNull: true}, 0)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := batch.ReadAll(context.Background(), r)
	r.Close()
	if err != nil || len(formattest.Rows(t, recs)) != 0 {
		t.Errorf("v1 with id >= 5e9: %v, %d rows read, want its row group pruned", err, len(formattest.Rows(t, recs)))
	}
	formattest.Release(recs)
	// count(*) over a column only v2 has: v1's rows still count.
	if got := readAll(t, f, ds, locs, []int{2}); len(got) != 4 {
		t.Errorf("absent-column projection read %d rows, want 4", len(got))
	}
}

func TestSchemaConflictParquet(t *testing.T) {
	dir := t.TempDir()
	writeParquet(t, filepath.Join(dir, "a.parquet"), []types.Field{fld("id", types.Int64Type), fld("v", types.Int64Type)}, []any{1, 10})
	writeParquet(t, filepath.Join(dir, "b.parquet"), []types.Field{fld("id", types.Int64Type), fld("v", types.StringType)}, []any{2, "20"})
	f := lookup(t, "parquet")
	_, _, err := resolve(t, Config{Format: f, Path: dir})
	if !errors.Is(err, ErrSchemaConflict) {
		t.Fatalf("err = %v, want ErrSchemaConflict", err)
	}
	for _, s := range []string{`"v"`, "int64 in ", "a.parquet", "string in ", "b.parquet", "declare"} {
		if !contains(err.Error(), s) {
			t.Errorf("error %q lacks %q", err, s)
		}
	}
	// An explicit schema wins: no merge, every file converts to it.
	ds, locs, err := resolve(t, Config{Format: f, Path: dir, Schema: types.NewSchema(fld("id", types.Int64Type), fld("v", types.StringType))})
	if err != nil {
		t.Fatal(err)
	}
	if ds.MissingAsNull {
		t.Error("a declared schema must not read absent columns as NULL")
	}
	formattest.Equal(t, [][]string{{"1", "10"}, {"2", "20"}}, readAll(t, f, ds, locs, nil))
}

func TestDeclaredSchemaMissingColumnFails(t *testing.T) {
	dir := t.TempDir()
	writeParquet(t, filepath.Join(dir, "a.parquet"), []types.Field{fld("id", types.Int64Type)}, []any{1})
	f := lookup(t, "parquet")
	ds, locs, err := resolve(t, Config{Format: f, Path: dir, Schema: types.NewSchema(fld("id", types.Int64Type), fld("idd", types.Int64Type))})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(context.Background(), f, format.Split{URL: locs[0].URL()}, format.ReadOptions{Table: ds.Schema}, 0)
	if err == nil || !contains(err.Error(), `"idd"`) || !contains(err.Error(), "a.parquet") || !contains(err.Error(), "missing_columns") {
		t.Errorf("err = %v, want one naming the column, the file and the option", err)
	}
	// The source option reads it as NULL instead.
	opts := map[string]string{"missing_columns": "null"}
	if err := f.CheckOptions(opts, false); err != nil {
		t.Fatal(err)
	}
	r, err := Open(context.Background(), f, format.Split{URL: locs[0].URL()}, format.ReadOptions{Table: ds.Schema, Options: opts}, 0)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := batch.ReadAll(context.Background(), r)
	r.Close()
	if err != nil {
		t.Fatal(err)
	}
	formattest.Equal(t, [][]string{{"1", "NULL"}}, formattest.Rows(t, recs))
	formattest.Release(recs)
	for _, bad := range []map[string]string{{"missing_columns": "zero"}, {"compression": "zstd"}} {
		if err := f.CheckOptions(bad, false); err == nil {
			t.Errorf("source options %v accepted", bad)
		}
	}
	if err := f.CheckOptions(opts, true); err == nil || !contains(err.Error(), "source option") {
		t.Errorf("missing_columns on a sink: err = %v", err)
	}
}

// TestPartitionOnlyProjection: a scan that needs no file column (count(*)
// grouped by a partition column) still gets one row per file row, in
// every format.
func TestPartitionOnlyProjection(t *testing.T) {
	bodies := map[string]string{
		"csv":     "id\n1\n2\n3\n",
		"jsonl":   "{\"id\":1}\n{\"id\":2}\n{\"id\":3}\n",
		"parquet": "",
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "k=x", "f."+name)
			if name == "parquet" {
				writeParquet(t, path, []types.Field{fld("id", types.Int64Type)}, []any{1}, []any{2}, []any{3})
			} else {
				formattest.Put(t, path, []byte(body))
			}
			f := lookup(t, name)
			ds, locs, err := resolve(t, Config{Format: f, Path: dir})
			if err != nil {
				t.Fatal(err)
			}
			formattest.Equal(t, [][]string{{"x"}, {"x"}, {"x"}}, readAll(t, f, ds, locs, []int{1}))
		})
	}
}
