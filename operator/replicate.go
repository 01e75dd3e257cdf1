package operator

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/task"
)

// replicate emits each row as many times as its count expression says
// (none for zero, negative or NULL), in batches of at most the target
// size however large the counts: INTERSECT ALL and EXCEPT ALL turn row
// multiplicities back into rows with it.
type replicate struct {
	in     batch.Reader
	count  *eval.Evaluator
	schema *arrow.Schema
	rows   int

	cur    arrow.RecordBatch // the batch being replicated
	counts *array.Int64
	row    int   // the row of cur being emitted
	left   int64 // copies of row still to emit
}

func newReplicate(n *physical.Node, in batch.Reader, env *Env) (batch.Reader, error) {
	ev, err := eval.Compile(n.Replicate, eval.Options{UDF: env.UDF})
	if err != nil {
		return nil, task.AsFatal(err)
	}
	return &replicate{in: in, count: ev, schema: n.Schema.Arrow(), rows: env.batchRows()}, nil
}

func (r *replicate) Schema() *arrow.Schema { return r.schema }

func (r *replicate) Next(ctx context.Context) (arrow.RecordBatch, error) {
	for {
		if r.cur == nil {
			if err := r.load(ctx); err != nil {
				return nil, err
			}
		}
		idx := r.indices()
		if len(idx) > 0 {
			out, err := TakeRecord(r.cur, idx)
			if err != nil {
				return nil, task.AsFatal(err)
			}
			return out, nil
		}
		r.release()
	}
}

// load reads the next batch and evaluates its counts.
func (r *replicate) load(ctx context.Context) error {
	rec, err := r.in.Next(ctx)
	if err != nil {
		return err
	}
	c, err := r.count.Eval(ctx, rec)
	if err != nil {
		rec.Release()
		return evalFailed(err)
	}
	counts, ok := c.(*array.Int64)
	if !ok {
		c.Release()
		rec.Release()
		return task.AsFatal(fmt.Errorf("replicate: count is %s, not int64", c.DataType()))
	}
	r.cur, r.counts, r.row, r.left = rec, counts, 0, rowCount(counts, 0)
	return nil
}

// indices lists the next output rows (at most the batch size), advancing
// through cur; empty when cur is used up.
func (r *replicate) indices() []int32 {
	var idx []int32
	n := int(r.cur.NumRows())
	for r.row < n && len(idx) < r.rows {
		if r.left <= 0 {
			r.row++
			if r.row < n {
				r.left = rowCount(r.counts, r.row)
			}
			continue
		}
		take := min(r.left, int64(r.rows-len(idx)))
		for range take {
			idx = append(idx, int32(r.row))
		}
		r.left -= take
	}
	return idx
}

func rowCount(c *array.Int64, i int) int64 {
	if i >= c.Len() || c.IsNull(i) {
		return 0
	}
	return c.Value(i)
}

func (r *replicate) release() {
	if r.cur != nil {
		r.cur.Release()
		r.counts.Release()
		r.cur, r.counts = nil, nil
	}
}

func (r *replicate) Close() error {
	r.release()
	return r.in.Close()
}
