package operator

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/task"
)

// filter keeps rows whose condition is TRUE.
type filter struct {
	in   batch.Reader
	pred *eval.Evaluator
}

func newFilter(n *physical.Node, in batch.Reader, env *Env) (batch.Reader, error) {
	pred, err := eval.Compile(n.Filter, eval.Options{UDF: env.UDF})
	if err != nil {
		return nil, task.AsFatal(err)
	}
	return &filter{in: in, pred: pred}, nil
}

func (f *filter) Schema() *arrow.Schema { return f.in.Schema() }

func (f *filter) Next(ctx context.Context) (arrow.RecordBatch, error) {
	rec, err := f.in.Next(ctx)
	if err != nil {
		return nil, err
	}
	defer rec.Release()
	out, err := eval.Filter(ctx, rec, f.pred)
	if err != nil {
		return nil, evalFailed(err)
	}
	return out, nil
}

// NextSel returns the input batch with the positions of the rows that
// pass, copying none (selection.go).
func (f *filter) NextSel(ctx context.Context) (arrow.RecordBatch, []int32, error) {
	rec, err := f.in.Next(ctx)
	if err != nil {
		return nil, nil, err
	}
	sel, all, err := eval.Select(ctx, rec, f.pred)
	if err != nil {
		rec.Release()
		return nil, nil, evalFailed(err)
	}
	if all {
		return rec, nil, nil
	}
	if len(sel) == 0 {
		defer rec.Release()
		return rec.NewSlice(0, 0), nil, nil
	}
	return rec, sel, nil
}

func (f *filter) Close() error { return f.in.Close() }
