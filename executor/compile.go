package executor

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/operator"
)

func compileAll(es []*expr.Expr, env *operator.Env) ([]*eval.Evaluator, error) {
	out := make([]*eval.Evaluator, len(es))
	for i, e := range es {
		ev, err := eval.Compile(e, eval.Options{UDF: env.UDF})
		if err != nil {
			return nil, err
		}
		out[i] = ev
	}
	return out, nil
}

func evalCols(ctx context.Context, evs []*eval.Evaluator, rec arrow.RecordBatch) ([]arrow.Array, error) {
	out := make([]arrow.Array, len(evs))
	for i, ev := range evs {
		c, err := ev.Eval(ctx, rec)
		if err != nil {
			releaseCols(out[:i])
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}

func releaseCols(cols []arrow.Array) {
	for _, c := range cols {
		if c != nil {
			c.Release()
		}
	}
}
