package parquetfmt_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/csv/formattest"
	parquetfmt "github.com/drover-etl/drover/format/parquet"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/types"
)

// foreignLayout is how another writer may lay out a file: row group
// length, small pages (many per chunk), with or without the page index
// and dictionaries.
type foreignLayout struct {
	rowGroupRows int64
	pageIndex    bool
	dictionary   bool
}

func (l foreignLayout) String() string {
	return fmt.Sprintf("rg%d/index=%t/dict=%t", l.rowGroupRows, l.pageIndex, l.dictionary)
}

// writeLayout writes numbers(0, rows) with pqarrow directly in layout l.
func writeLayout(t *testing.T, rows int, l foreignLayout) string {
	t.Helper()
	path := t.TempDir() + "/foreign.parquet"
	rec := numbers(0, rows)
	defer rec.Release()
	props := parquet.NewWriterProperties(
		parquet.WithAllocator(memory.DefaultAllocator),
		parquet.WithCompression(compress.Codecs.Snappy),
		parquet.WithMaxRowGroupLength(l.rowGroupRows),
		parquet.WithDataPageSize(2048),
		parquet.WithBatchSize(512),
		parquet.WithDictionaryDefault(l.dictionary),
		parquet.WithPageIndexEnabled(l.pageIndex),
		parquet.WithStats(true),
		parquet.WithStoreDecimalAsInteger(true),
	)
	w := formattestCreate(t, path)
	fw, err := pqarrow.NewFileWriter(rec.Schema(), w, props, pqarrow.NewArrowWriterProperties(pqarrow.WithCoerceTimestamps(arrow.Microsecond)))
	if err != nil {
		t.Fatal(err)
	}
	if err := fw.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func foreignLayouts() []foreignLayout {
	var out []foreignLayout
	for _, rg := range []int64{40_000, 20_000, 6_000} {
		for _, idx := range []bool{true, false} {
			for _, dict := range []bool{true, false} {
				out = append(out, foreignLayout{rg, idx, dict})
			}
		}
	}
	return out
}

// TestMorselsSameAnswers reads files of large row groups (many pages,
// page index on and off, dictionaries on and off) with row groups cut
// into morsels and whole, with and without filters, and checks the rows
// are the same, in the same order, and the file's rows.
func TestMorselsSameAnswers(t *testing.T) {
	const rows = 40_000
	want := formattest.Rows(t, []arrow.RecordBatch{numbers(0, rows)})
	filters := map[string][]*expr.Expr{
		"none":     nil,
		"id>=7000": {call(expr.FnGe, col(0), i64(7000))},
		"opt null": {call(expr.FnIsNull, col(7))},
	}
	for _, l := range foreignLayouts() {
		path := writeLayout(t, rows, l)
		for name, fs := range filters {
			for _, batchRows := range []int{0, 1000, 777} {
				t.Run(fmt.Sprintf("%s/%s/batch%d", l, name, batchRows), func(t *testing.T) {
					ro := format.ReadOptions{Table: numbersSchema, Filters: fs, BatchRows: batchRows}
					whole := scanWith(t, path, 0, ro, 0)
					for _, morsel := range []int64{3000, 5000} {
						got := scanWith(t, path, 0, ro, morsel)
						formattest.Equal(t, whole, got)
					}
					if len(fs) == 0 {
						formattest.Equal(t, want, whole)
					}
					// One column: without the page index too, a lone row
					// group is then cut.
					ro.Columns = []int{3}
					whole = scanWith(t, path, 0, ro, 0)
					formattest.Equal(t, whole, scanWith(t, path, 0, ro, 3000))
				})
			}
		}
	}
}

// TestRowRangeSplits cuts large row groups into row-range splits and
// checks that reading every split gives the file's rows in order, with
// and without morsels inside the splits.
func TestRowRangeSplits(t *testing.T) {
	defer parquetfmt.SetMinPieceRows(1000)()
	const rows = 40_000
	want := formattest.Rows(t, []arrow.RecordBatch{numbers(0, rows)})
	for _, l := range foreignLayouts() {
		path := writeLayout(t, rows, l)
		for _, target := range []int64{30_000, 50_000} {
			t.Run(fmt.Sprintf("%s/target%d", l, target), func(t *testing.T) {
				splits := splitFile(t, path, target)
				ranged := 0
				for _, s := range splits {
					if s.RowCount > 0 {
						ranged++
					}
				}
				if ranged == 0 {
					t.Fatalf("no row-range split among %d: %+v", len(splits), splits)
				}
				ro := format.ReadOptions{Table: numbersSchema, BatchRows: 1000}
				for _, morsel := range []int64{0, 2000} {
					formattest.Equal(t, want, scanWith(t, path, target, ro, morsel))
				}
			})
		}
	}
}

// TestRowRangeSplitChecked: a row range outside its row group is refused,
// not read as something else.
func TestRowRangeSplitChecked(t *testing.T) {
	path := writeLayout(t, 10_000, foreignLayout{rowGroupRows: 10_000})
	for _, s := range []format.Split{
		{URL: path, RowGroups: []int{0}, RowStart: 9_000, RowCount: 2_000},
		{URL: path, RowGroups: []int{0}, RowStart: -1, RowCount: 2},
		{URL: path, RowGroups: []int{0, 0}, RowStart: 0, RowCount: 2},
	} {
		r, err := f.Open(context.Background(), s, format.ReadOptions{Table: numbersSchema})
		if err == nil {
			r.Close()
			t.Fatalf("split %+v opened", s)
		}
	}
}

// scanWith scans path with morsels of morsel rows (0: none), cut
// whatever the page sizes, so that the tests' small files are cut too.
func scanWith(t *testing.T, path string, target int64, ro format.ReadOptions, morsel int64) [][]string {
	t.Helper()
	defer parquetfmt.SetMorselRows(morsel)()
	defer parquetfmt.SetPagesPerMorsel(0)()
	recs, err := formattest.Scan(f, path, target, ro)
	if err != nil {
		t.Fatal(err)
	}
	defer formattest.Release(recs)
	want := numbersSchema
	if ro.Columns != nil {
		want = numbersSchema.Project(ro.Columns)
	}
	formattest.CheckTypes(t, want, recs)
	return formattest.Rows(t, recs)
}

func splitFile(t *testing.T, path string, target int64) []format.Split {
	t.Helper()
	ctx := context.Background()
	loc, err := storage.Resolve(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	info, err := loc.Store.Stat(ctx, loc.Key)
	if err != nil {
		t.Fatal(err)
	}
	splits, err := f.Split(ctx, loc, info.Size, target)
	if err != nil {
		t.Fatal(err)
	}
	return splits
}

var _ = types.Int64Type

// TestPageIndexPruning reads a file whose columns are sorted by row (ids,
// names, dates) with small pages, with filters the page index can use:
// fewer rows are read than without it, and after applying the filters
// row by row (as the scan operator does) the answers are the same with
// and without page pruning, with and without morsels.
func TestPageIndexPruning(t *testing.T) {
	// Rows read count what pruning kept: late materialization off.
	defer parquetfmt.SetLateMaterialization(false)()
	const rows = 40_000
	path := writeLayout(t, rows, foreignLayout{rowGroupRows: 20_000, pageIndex: true, dictionary: true})
	id := func(r []string) int { n, _ := strconv.Atoi(r[0]); return n }
	tests := []struct {
		name    string
		filters []*expr.Expr
		keep    func(r []string) bool
		fewer   bool // the page index must drop rows
	}{
		{"id range", []*expr.Expr{call(expr.FnAnd, call(expr.FnGe, col(0), i64(7000)), call(expr.FnLt, col(0), i64(7100)))},
			func(r []string) bool { return id(r) >= 7000 && id(r) < 7100 }, true},
		{"id in", []*expr.Expr{call(expr.FnIn, col(0), i64(5), i64(30_005))},
			func(r []string) bool { return id(r) == 5 || id(r) == 30_005 }, true},
		{"name eq", []*expr.Expr{call(expr.FnEq, col(2), lit(types.StringValue("name-123")))},
			func(r []string) bool { return r[2] == "name-123" }, true},
		{"opt not null", []*expr.Expr{call(expr.FnIsNotNull, col(7))},
			// An all-NULL run of opt RLE-encodes into one page: no page to drop.
			func(r []string) bool { return r[7] != "NULL" }, false},
		{"or across columns", []*expr.Expr{call(expr.FnOr, call(expr.FnLt, col(0), i64(50)), call(expr.FnEq, col(2), lit(types.StringValue("name-300"))))},
			func(r []string) bool { return id(r) < 50 || r[2] == "name-300" }, true},
		{"nothing", []*expr.Expr{call(expr.FnGt, col(0), i64(rows))},
			func(r []string) bool { return false }, false},
		{"id ne (no pruning)", []*expr.Expr{call(expr.FnNe, col(0), i64(3))},
			func(r []string) bool { return id(r) != 3 }, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ro := format.ReadOptions{Table: numbersSchema, Filters: tc.filters, BatchRows: 1000}
			restore := parquetfmt.SetPageIndex(false)
			without := scanWith(t, path, 0, ro, 0)
			restore()
			want := keepRows(without, tc.keep)
			for _, morsel := range []int64{0, 3000} {
				with := scanWith(t, path, 0, ro, morsel)
				formattest.Equal(t, want, keepRows(with, tc.keep))
				if tc.fewer && len(with) >= len(without) {
					t.Errorf("morsel %d: read %d rows with the page index, %d without", morsel, len(with), len(without))
				}
			}
		})
	}
}

func keepRows(rows [][]string, keep func([]string) bool) [][]string {
	var out [][]string
	for _, r := range rows {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}

// TestDictionaryPruning asks string columns for values that lie between
// a row group's min and max but are not in its dictionary: with the
// dictionary read, such row groups are skipped; answers after the
// filter are the same with and without, and a chunk that is not
// dictionary-encoded throughout is never skipped.
func TestDictionaryPruning(t *testing.T) {
	// Rows read count what pruning kept: late materialization off.
	defer parquetfmt.SetLateMaterialization(false)()
	const rows = 40_000
	str := func(s string) *expr.Expr { return lit(types.StringValue(s)) }
	tests := []struct {
		name    string
		filters []*expr.Expr
		keep    func(r []string) bool
		rows    int // rows read with dictionary pruning from dictionary files
	}{
		{"eq absent", []*expr.Expr{call(expr.FnEq, col(2), str("name-0055x"))},
			func(r []string) bool { return r[2] == "name-0055x" }, 0},
		{"in absent and null", []*expr.Expr{call(expr.FnIn, col(2), str("name-0055x"), lit(types.NullValue(types.StringType)))},
			func(r []string) bool { return r[2] == "name-0055x" }, 0},
		{"in one present", []*expr.Expr{call(expr.FnIn, col(2), str("name-0055x"), str("name-150"))},
			func(r []string) bool { return r[2] == "name-0055x" || r[2] == "name-150" }, 10_000},
		{"or with present", []*expr.Expr{call(expr.FnOr, call(expr.FnEq, col(2), str("name-0055x")), call(expr.FnEq, col(0), i64(25_000)))},
			func(r []string) bool { return r[2] == "name-0055x" || r[0] == "25000" }, 10_000},
	}
	for _, dict := range []bool{true, false} {
		path := writeLayout(t, rows, foreignLayout{rowGroupRows: 10_000, dictionary: dict})
		for _, tc := range tests {
			t.Run(fmt.Sprintf("dict=%t/%s", dict, tc.name), func(t *testing.T) {
				ro := format.ReadOptions{Table: numbersSchema, Filters: tc.filters}
				restore := parquetfmt.SetDictionaryPruning(false)
				without := scanWith(t, path, 0, ro, 0)
				restore()
				with := scanWith(t, path, 0, ro, 0)
				formattest.Equal(t, keepRows(without, tc.keep), keepRows(with, tc.keep))
				switch {
				case dict && len(with) != tc.rows:
					t.Errorf("read %d rows, want %d", len(with), tc.rows)
				case !dict && len(with) != len(without):
					t.Errorf("plain chunks: read %d rows, %d without dictionary pruning", len(with), len(without))
				}
			})
		}
	}
}
