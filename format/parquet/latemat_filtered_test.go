package parquetfmt_test

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/format"
	parquetfmt "github.com/drover-etl/drover/format/parquet"
	"github.com/drover-etl/drover/types"
)

// TestLateMaterializationReportsFiltered: batches late materialization
// filtered are reported as such (format.Prefiltered), and hold only rows
// the filters keep; without late materialization, or when the filters
// fail to evaluate (every row is then passed on), no batch is.
func TestLateMaterializationReportsFiltered(t *testing.T) {
	path := writeLayout(t, 10_000, foreignLayout{rowGroupRows: 4_000, pageIndex: true, dictionary: true})
	ge := []*expr.Expr{call(expr.FnGe, col(0), i64(5_000))}
	bad := expr.Cast(col(2), types.Int64Type) // "name-…" does not parse
	failing := []*expr.Expr{call(expr.FnGt, bad, i64(0))}
	for _, c := range []struct {
		name     string
		cols     []int
		filters  []*expr.Expr
		late     bool
		rows     int64 // 0: more than 5,000 (pages pruned, rows not filtered)
		filtered bool
	}{
		{"late", nil, ge, true, 5_000, true},
		{"late, projected", []int{3, 0}, ge, true, 5_000, true},
		{"late off", nil, ge, false, 0, false},
		{"one leaf", []int{0}, ge, true, 0, false},
		{"filters fail", nil, failing, true, 10_000, false},
		{"no filters", nil, nil, true, 10_000, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			defer parquetfmt.SetLateMaterialization(c.late)()
			rows := int64(0)
			for _, s := range splitFile(t, path, 0) {
				rows += readMarked(t, s, format.ReadOptions{Table: numbersSchema, Columns: c.cols, Filters: c.filters, BatchRows: 1000}, c.filtered)
			}
			if rows != c.rows && (c.rows != 0 || rows <= 5_000) {
				t.Fatalf("read %d rows, want %d", rows, c.rows)
			}
		})
	}
}

// readMarked reads one split and checks every batch's Filtered is want
// (and false before the first and after the last).
func readMarked(t *testing.T, s format.Split, ro format.ReadOptions, want bool) int64 {
	t.Helper()
	ctx := context.Background()
	r, err := f.Open(ctx, s, ro)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if format.BatchFiltered(r) {
		t.Fatal("filtered before any batch")
	}
	var rows int64
	for {
		rec, err := r.Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		rows += rec.NumRows()
		if got := format.BatchFiltered(r); got != want {
			t.Fatalf("batch of %d rows: filtered %t, want %t", rec.NumRows(), got, want)
		}
		rec.Release()
	}
	if format.BatchFiltered(r) {
		t.Fatal("filtered after io.EOF")
	}
	return rows
}
