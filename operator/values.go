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

// newValues evaluates a Values node's constant rows into one batch. Only
// partition 0 emits them: the stage graph gives a Values fragment one
// task, and any other partition (a defensive case) is empty.
func newValues(ctx context.Context, n *physical.Node, env *Env, part int) (batch.Reader, error) {
	schema := n.Schema.Arrow()
	if part != 0 || len(n.Values.Rows) == 0 {
		return batch.NewSliceReader(schema, nil), nil
	}
	one := array.NewRecordBatch(arrow.NewSchema(nil, nil), nil, 1)
	defer one.Release()
	cols := make([][]arrow.Array, len(n.Schema.Fields))
	defer func() {
		for _, c := range cols {
			releaseAll(c)
		}
	}()
	for r, row := range n.Values.Rows {
		set, err := eval.CompileSet(row, eval.Options{UDF: env.UDF})
		if err != nil {
			return nil, task.AsFatal(err)
		}
		vals, err := set.Eval(ctx, one)
		if err != nil {
			return nil, evalFailed(fmt.Errorf("VALUES row %d: %w", r+1, err))
		}
		for c, v := range vals {
			p, err := plain(v)
			v.Release()
			if err != nil {
				return nil, task.AsFatal(err)
			}
			cols[c] = append(cols[c], p)
		}
	}
	out := make([]arrow.Array, len(cols))
	for c := range cols {
		a, err := array.Concatenate(cols[c], mem)
		if err != nil {
			releaseAll(out[:c])
			return nil, task.AsFatal(fmt.Errorf("VALUES column %d: %w", c+1, err))
		}
		out[c] = a
	}
	rec := array.NewRecordBatch(schema, out, int64(len(n.Values.Rows)))
	releaseAll(out)
	return adopt(schema, []arrow.RecordBatch{rec}), nil
}
