package eval

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/types"
)

// Filter returns the rows of rec where pred is TRUE (NULL and FALSE drop
// the row). When every row passes it returns rec itself, retained; when
// none does, an empty slice of it. The caller releases the result.
//
// The kept row positions are listed once from the predicate bitmap and
// every column is gathered with them, copying raw values by width;
// dictionary columns keep their dictionary. Filtering runs on the calling
// goroutine: the engine parallelizes across tasks, not inside one batch.
func Filter(ctx context.Context, rec arrow.RecordBatch, pred *Evaluator) (arrow.RecordBatch, error) {
	sel, all, err := Select(ctx, rec, pred)
	switch {
	case err != nil:
		return nil, err
	case all:
		rec.Retain()
		return rec, nil
	case len(sel) == 0:
		return rec.NewSlice(0, 0), nil
	}
	return gatherRecord(newBatch(ctx, nil, int(rec.NumRows()), &pred.opts), rec, sel)
}

// Select returns the positions (ascending) of the rows of rec where pred
// is TRUE, without copying any row; all reports that every row passes
// (sel is then nil). Filter is Select and one gather.
func Select(ctx context.Context, rec arrow.RecordBatch, pred *Evaluator) (sel []int32, all bool, err error) {
	if pred.typ.ID != types.Bool && pred.typ.ID != types.Null {
		return nil, false, invalidf("filter predicate %s is %s, not bool", pred.src, pred.typ)
	}
	res, err := pred.Eval(ctx, rec)
	if err != nil {
		return nil, false, err
	}
	defer res.Release()
	n := int(rec.NumRows())
	mask := trueMask(boolDatum(res), n)
	switch kept := countBits(mask, n); kept {
	case n:
		return nil, true, nil
	case 0:
		return []int32{}, false, nil
	default:
		return indicesOf(mask, n, kept), false, nil
	}
}

// boolDatum treats an all-NULL predicate of type NULL as FALSE.
func boolDatum(res arrow.Array) datum {
	if res.DataType().ID() == arrow.NULL {
		return scalarDatum(types.NullValue(types.BoolType))
	}
	return datum{arr: res}
}

func gatherRecord(b *batch, rec arrow.RecordBatch, idx []int32) (arrow.RecordBatch, error) {
	cols := make([]arrow.Array, rec.NumCols())
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i, col := range rec.Columns() {
		out, err := gather(b, col, idx, nil)
		if err != nil {
			return nil, err
		}
		cols[i] = out
	}
	return array.NewRecordBatch(rec.Schema(), cols, int64(len(idx))), nil
}
