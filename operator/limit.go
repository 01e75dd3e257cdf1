package operator

import (
	"context"
	"io"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/plan/physical"
)

// limit drops the first skip rows, passes the next left rows (all of them
// when left < 0) and then stops pulling its input.
type limit struct {
	in   batch.Reader
	skip int64
	left int64
}

func newLimit(n *physical.Node, in batch.Reader) batch.Reader {
	return &limit{in: in, skip: n.Offset, left: n.Limit}
}

func (l *limit) Schema() *arrow.Schema { return l.in.Schema() }

func (l *limit) Next(ctx context.Context) (arrow.RecordBatch, error) {
	for {
		if l.left == 0 {
			return nil, io.EOF
		}
		rec, err := l.in.Next(ctx)
		if err != nil {
			return nil, err
		}
		if out := l.cut(rec); out != nil {
			return out, nil
		}
	}
}

// cut returns the part of rec the limit passes (nil for none), taking
// ownership of rec.
func (l *limit) cut(rec arrow.RecordBatch) arrow.RecordBatch {
	rows := rec.NumRows()
	start := min(l.skip, rows)
	l.skip -= start
	end := rows
	if l.left >= 0 {
		end = min(rows, start+l.left)
		l.left -= end - start
	}
	if start == 0 && end == rows {
		return rec
	}
	defer rec.Release()
	if start == end {
		return nil
	}
	return rec.NewSlice(start, end)
}

func (l *limit) Close() error { return l.in.Close() }
