package parquetfmt_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/csv/formattest"
	parquetfmt "github.com/drover-etl/drover/format/parquet"
	"github.com/drover-etl/drover/types"
)

// lateFilters are filters for TestLateMaterializationSameAnswers: dense
// and sparse selections, empty ones, runs of batches without a selected
// row (the payload side then skips), NULLs on both sides, dictionary
// strings and decimals on the filter side.
func lateFilters() map[string][]*expr.Expr {
	mod := expr.Call(expr.FnMod, col(0), i64(997))
	mod.Type = types.Int64Type
	amount := lit(types.DecimalValue(decimal128.FromI64(2_000_000), 10, 2))
	return map[string][]*expr.Expr{
		"id>=7000":         {call(expr.FnGe, col(0), i64(7000))},
		"id%997=0":         {call(expr.FnEq, mod, i64(0))},
		"none selected":    {call(expr.FnLt, col(0), i64(0))},
		"runs+payloadnull": {call(expr.FnOr, call(expr.FnAnd, call(expr.FnGe, col(0), i64(350)), call(expr.FnLt, col(0), i64(450))), call(expr.FnGe, col(0), i64(39_990)))},
		"opt>350":          {call(expr.FnGt, col(7), i64(350))},
		"opt null":         {call(expr.FnIsNull, col(7))},
		"name=":            {call(expr.FnEq, col(2), lit(types.StringValue("name-123")))},
		"amount>,grp<300":  {call(expr.FnGt, col(3), amount), call(expr.FnLt, col(1), lit(types.Int32Value(300)))},
	}
}

// TestLateMaterializationSameAnswers reads files of several layouts
// (several row groups, many pages, page index and dictionaries on and
// off) with late materialization and checks the rows are exactly those
// of the plain path (no late materialization) after the filter, in the
// same order, with morsels, odd batch sizes and row-range splits.
func TestLateMaterializationSameAnswers(t *testing.T) {
	defer parquetfmt.SetMinPieceRows(1000)()
	const rows = 40_000
	projections := map[string][]int{"all": nil, "amount,id,amount": {3, 0, 3}, "opt,ts,name": {7, 5, 2}}
	layouts := []foreignLayout{{40_000, true, true}, {20_000, true, false}, {6_000, false, true}, {6_000, true, true}}
	for _, l := range layouts {
		path := writeLayout(t, rows, l)
		for name, fs := range lateFilters() {
			for pname, cols := range projections {
				if !projects(cols, fs) {
					continue // the scan operator filters: TestLateMaterializationFilters
				}
				t.Run(fmt.Sprintf("%s/%s/%s", l, name, pname), func(t *testing.T) {
					ro := format.ReadOptions{Table: numbersSchema, Columns: cols, Filters: fs}
					for _, batchRows := range []int{0, 777} {
						ro.BatchRows = batchRows
						for _, target := range []int64{0, 30_000} {
							want := plainFiltered(t, path, target, ro)
							for _, morsel := range []int64{0, 3000} {
								formattest.Equal(t, want, scanWith(t, path, target, ro, morsel))
							}
						}
					}
				})
			}
		}
	}
}

// projects reports whether cols (nil: all) has every column fs read.
func projects(cols []int, fs []*expr.Expr) bool {
	if cols == nil {
		return true
	}
	has := map[int]bool{}
	for _, c := range cols {
		has[c] = true
	}
	for _, fl := range fs {
		for _, c := range expr.Columns(fl) {
			if !has[c] {
				return false
			}
		}
	}
	return true
}

// plainFiltered is the reference: every column read without late
// materialization, the filters applied by the evaluator, then projected.
func plainFiltered(t *testing.T, path string, target int64, ro format.ReadOptions) [][]string {
	t.Helper()
	defer parquetfmt.SetLateMaterialization(false)()
	all := ro
	all.Columns = nil
	recs, err := formattest.Scan(f, path, target, all)
	if err != nil {
		t.Fatal(err)
	}
	defer formattest.Release(recs)
	cond := ro.Filters[0]
	for _, fl := range ro.Filters[1:] {
		cond = call(expr.FnAnd, cond, fl)
	}
	pred, err := eval.Compile(cond, eval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var kept []arrow.RecordBatch
	for _, r := range recs {
		k, err := eval.Filter(context.Background(), r, pred)
		if err != nil {
			t.Fatal(err)
		}
		kept = append(kept, k)
	}
	defer formattest.Release(kept)
	out := formattest.Rows(t, kept)
	if ro.Columns == nil {
		return out
	}
	for i, r := range out {
		p := make([]string, len(ro.Columns))
		for j, c := range ro.Columns {
			p[j] = r[c]
		}
		out[i] = p
	}
	return out
}

// TestLateMaterializationFilters checks that the reader applies the
// filters (it returns only matching rows) when late materialization
// applies, and passes everything on when it cannot (the scan operator
// then filters): a filter column not projected.
func TestLateMaterializationFilters(t *testing.T) {
	path := writeLayout(t, 10_000, foreignLayout{rowGroupRows: 4_000, dictionary: true})
	fs := []*expr.Expr{call(expr.FnEq, col(0), i64(5_000))}
	for _, c := range []struct {
		cols []int
		want int64
	}{
		{nil, 1},
		{[]int{0, 3}, 1},
		{[]int{0}, 4_000},    // nothing to materialize late: the row group
		{[]int{3}, 4_000},    // the filter's column is not read
		{[]int{0, 0}, 4_000}, // one leaf
	} {
		recs, err := formattest.Scan(f, path, 0, format.ReadOptions{Table: numbersSchema, Columns: c.cols, Filters: fs})
		if err != nil {
			t.Fatal(err)
		}
		if got := countRows(recs); got != c.want {
			t.Errorf("columns %v: read %d rows, want %d", c.cols, got, c.want)
		}
		formattest.Release(recs)
	}
}

// TestLateMaterializationDataErrorRow: a payload value that does not fit
// its declared type is a DataError naming its file row when the filters
// select it (the gather must not shift the row), and is never converted
// when they do not.
func TestLateMaterializationDataErrorRow(t *testing.T) {
	sch := types.NewSchema(types.Field{Name: "k", Type: types.Int64Type, Nullable: true}, types.Field{Name: "big", Type: types.Int64Type, Nullable: true})
	b := array.NewRecordBuilder(memory.DefaultAllocator, sch.Arrow())
	defer b.Release()
	for i := range 10_000 {
		b.Field(0).(*array.Int64Builder).Append(int64(i))
		switch i {
		case 100, 5_000:
			b.Field(1).(*array.Int64Builder).Append(1 << 40)
		case 7_000:
			b.Field(1).AppendNull()
		default:
			b.Field(1).(*array.Int64Builder).Append(int64(i))
		}
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	path := filepath.Join(t.TempDir(), "big.parquet")
	formattest.Write(t, f, path, sch.Arrow(), map[string]string{"row_group_rows": "3000"}, rec)
	table := types.NewSchema(types.Field{Name: "k", Type: types.Int64Type, Nullable: true}, types.Field{Name: "big", Type: types.Int32Type, Nullable: true})
	k := expr.BoundCol(0, table.Fields[0])
	odd := expr.Call(expr.FnMod, k, i64(2))
	odd.Type = types.Int64Type
	for _, c := range []struct {
		name    string
		filters []*expr.Expr
		badRow  int64 // -1: no error
		rows    int64
	}{
		{"selected", []*expr.Expr{call(expr.FnGe, k, i64(4_000))}, 5_000, 0},
		{"selected among others", []*expr.Expr{call(expr.FnEq, odd, i64(0)), call(expr.FnGe, k, i64(4_000))}, 5_000, 0},
		{"not selected", []*expr.Expr{call(expr.FnEq, odd, i64(1))}, -1, 5_000},
	} {
		t.Run(c.name, func(t *testing.T) {
			recs, err := formattest.Scan(f, path, 0, format.ReadOptions{Table: table, Filters: c.filters, BatchRows: 1000})
			defer formattest.Release(recs)
			if c.badRow < 0 {
				if err != nil || countRows(recs) != c.rows {
					t.Fatalf("read %d rows, error %v; want %d rows", countRows(recs), err, c.rows)
				}
				return
			}
			var de *format.DataError
			if !errors.As(err, &de) || de.Row != c.badRow || de.Column != "big" {
				t.Fatalf("error %v, want a DataError at row %d of big", err, c.badRow)
			}
		})
	}
}
