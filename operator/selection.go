package operator

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/expr/eval"
)

// selectionVectors lets filters hand their consumers selections instead
// of gathered batches; tests and benchmarks compare the two.
var selectionVectors = true

// selector is a batch.Reader that can return a batch with a selection
// (the positions of the rows that belong to the output, ascending)
// instead of gathering those rows into a new batch. A filter is one, and
// so is a scan with a pushed-down filter; a project of bare columns over
// either passes the selection on. Consumers that know selections
// (project, hash aggregation) gather only the columns they read, once
// (hash aggregation only its keys' when it can fold the rest in place);
// every other consumer calls Next and gets the gathered batch, as before.
type selector interface {
	batch.Reader
	// NextSel returns the next batch and its selection; sel == nil
	// selects every row. The caller owns the batch.
	NextSel(ctx context.Context) (rec arrow.RecordBatch, sel []int32, err error)
}

// nextSel reads in's next batch, with a selection when in can give one.
func nextSel(ctx context.Context, in batch.Reader) (arrow.RecordBatch, []int32, error) {
	if s, ok := in.(selector); ok && selectionVectors {
		return s.NextSel(ctx)
	}
	rec, err := in.Next(ctx)
	return rec, nil, err
}

// materialize gathers the selected rows of rec (taking ownership of rec).
func materialize(ctx context.Context, rec arrow.RecordBatch, sel []int32) (arrow.RecordBatch, error) {
	if sel == nil {
		return rec, nil
	}
	defer rec.Release()
	return narrow(ctx, rec, sel, nil)
}

// narrow gathers rows sel of the columns of rec that used marks (every
// column when used is nil). The other columns become placeholders of
// the right type and length that the caller never reads (slices of the
// original column: no copy).
func narrow(ctx context.Context, rec arrow.RecordBatch, sel []int32, used []bool) (arrow.RecordBatch, error) {
	var take []arrow.Array
	var at []int
	for i, c := range rec.Columns() {
		if used == nil || used[i] {
			take = append(take, c)
			at = append(at, i)
		}
	}
	taken, err := eval.TakeColumns(ctx, take, sel)
	if err != nil {
		return nil, err
	}
	defer releaseAll(taken)
	cols := make([]arrow.Array, rec.NumCols())
	for i, c := range rec.Columns() {
		if used != nil && !used[i] {
			cols[i] = array.NewSlice(c, 0, int64(len(sel)))
		}
	}
	for j, i := range at {
		cols[i] = taken[j]
		taken[j].Retain()
	}
	out := array.NewRecordBatch(rec.Schema(), cols, int64(len(sel)))
	releaseAll(cols)
	return out, nil
}

// usedColumns marks the input columns that exprs read.
func usedColumns(n int, exprs ...*expr.Expr) []bool {
	used := make([]bool, n)
	for _, e := range exprs {
		if e == nil {
			continue
		}
		for _, c := range expr.Columns(e) {
			if c < n {
				used[c] = true
			}
		}
	}
	return used
}
