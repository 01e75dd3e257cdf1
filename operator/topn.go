package operator

import (
	"context"
	"io"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/task"
)

// topN keeps the first n rows in key order: it buffers rows and, whenever
// the buffer holds well over n rows, sorts it and cuts it back to n, so
// memory stays O(n) however large the input.
type topN struct {
	sortOp
	n   int64
	has int64
}

func newTopN(n *physical.Node, in batch.Reader, env *Env) (batch.Reader, error) {
	s, err := newSort(n, in, env)
	if err != nil {
		return nil, err
	}
	t := &topN{sortOp: *s.(*sortOp), n: n.Limit + n.Offset}
	if n.Offset > 0 {
		// Keep the top Offset+Limit, then skip the first Offset of them.
		return &limit{in: t, skip: n.Offset, left: n.Limit}, nil
	}
	return t, nil
}

func (t *topN) Next(ctx context.Context) (arrow.RecordBatch, error) {
	if t.out == nil {
		if err := t.consume(ctx); err != nil {
			return nil, err
		}
		sorted, err := t.cut()
		if err != nil {
			return nil, task.AsFatal(err)
		}
		t.out = adopt(t.schema, dropKeys(sorted, len(t.keys), t.schema))
	}
	return t.out.Next(ctx)
}

func (t *topN) consume(ctx context.Context) error {
	for {
		rec, err := t.in.Next(ctx)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		t.has += rec.NumRows()
		ext, err := withKeys(ctx, rec, t.keyEvs)
		rec.Release()
		if err != nil {
			return evalFailed(err)
		}
		t.buf = append(t.buf, ext)
		if t.has > 2*t.n+int64(t.env.batchRows()) {
			sorted, err := t.cut()
			if err != nil {
				return task.AsFatal(err)
			}
			t.buf = sorted
		}
	}
}

// cut sorts the buffer and keeps the first n rows.
func (t *topN) cut() ([]arrow.RecordBatch, error) {
	sorted, err := t.sortBuffer(false)
	if err != nil {
		return nil, err
	}
	var out []arrow.RecordBatch
	var kept int64
	for _, r := range sorted {
		if kept >= t.n {
			r.Release()
			continue
		}
		take := min(r.NumRows(), t.n-kept)
		out = append(out, r.NewSlice(0, take))
		kept += take
		r.Release()
	}
	t.has = kept
	return out, nil
}
