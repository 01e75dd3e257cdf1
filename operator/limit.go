package operator

import (
	"context"
	"io"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/plan/physical"
)

// limit passes the first n rows and then stops pulling its input.
type limit struct {
	in   batch.Reader
	left int64
}

func newLimit(n *physical.Node, in batch.Reader) batch.Reader {
	return &limit{in: in, left: n.Limit}
}

func (l *limit) Schema() *arrow.Schema { return l.in.Schema() }

func (l *limit) Next(ctx context.Context) (arrow.RecordBatch, error) {
	if l.left <= 0 {
		return nil, io.EOF
	}
	rec, err := l.in.Next(ctx)
	if err != nil {
		return nil, err
	}
	if rec.NumRows() <= l.left {
		l.left -= rec.NumRows()
		return rec, nil
	}
	out := rec.NewSlice(0, l.left)
	rec.Release()
	l.left = 0
	return out, nil
}

func (l *limit) Close() error { return l.in.Close() }
