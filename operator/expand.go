package operator

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/task"
)

// expand emits every input batch once per projection list, evaluated over
// it: the rows of a grouping-sets aggregation, once per set. Column
// references are shared with the input batch, not copied.
type expand struct {
	in      batch.Reader
	lists   []*eval.Set
	schema  *arrow.Schema
	cur     arrow.RecordBatch // the batch being expanded
	nextSet int
}

func newExpand(n *physical.Node, in batch.Reader, env *Env) (batch.Reader, error) {
	e := &expand{in: in, schema: n.Schema.Arrow()}
	for _, p := range n.Expand.Projections {
		set, err := eval.CompileSet(p, eval.Options{UDF: env.UDF})
		if err != nil {
			return nil, task.AsFatal(err)
		}
		e.lists = append(e.lists, set)
	}
	return e, nil
}

func (e *expand) Schema() *arrow.Schema { return e.schema }

func (e *expand) Next(ctx context.Context) (arrow.RecordBatch, error) {
	if e.cur == nil || e.nextSet == len(e.lists) {
		e.release()
		rec, err := e.in.Next(ctx)
		if err != nil {
			return nil, err
		}
		e.cur, e.nextSet = rec, 0
	}
	set := e.lists[e.nextSet]
	e.nextSet++
	cols, err := set.Eval(ctx, e.cur)
	if err != nil {
		return nil, evalFailed(err)
	}
	return recordOf(cols, e.cur.NumRows()), nil
}

func (e *expand) release() {
	if e.cur != nil {
		e.cur.Release()
		e.cur = nil
	}
}

func (e *expand) Close() error {
	e.release()
	return e.in.Close()
}
