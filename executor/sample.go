package executor

import (
	"context"
	"math/rand/v2"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/operator"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/task"
	"github.com/drover-etl/drover/types"
)

// samplePerTask is how many key rows each task contributes to the bounds.
const samplePerTask = 256

// sampleKeys reservoir-samples sort-key rows of the task's whole output.
// The seed is fixed per partition so a re-run samples the same rows.
func sampleKeys(ctx context.Context, in batch.Reader, sortKeys []logical.SortKey, env *operator.Env) ([][]types.Value, error) {
	exprs := make([]*expr.Expr, len(sortKeys))
	for i, k := range sortKeys {
		exprs[i] = k.Expr
	}
	evs, err := compileAll(exprs, env)
	if err != nil {
		return nil, task.AsFatal(err)
	}
	rng := rand.New(rand.NewPCG(uint64(env.Partition), 42))
	var res [][]types.Value
	seen := 0
	err = drive(ctx, in, func(rec arrow.RecordBatch) error {
		cols, err := evalCols(ctx, evs, rec)
		if err != nil {
			return operator.EvalFailed(err)
		}
		defer releaseCols(cols)
		for i := 0; i < int(rec.NumRows()); i++ {
			seen++
			slot := len(res)
			if slot >= samplePerTask {
				slot = rng.IntN(seen)
				if slot >= samplePerTask {
					continue
				}
			}
			row := make([]types.Value, len(cols))
			for c, col := range cols {
				row[c] = eval.ValueAt(col, i)
			}
			if slot == len(res) {
				res = append(res, row)
			} else {
				res[slot] = row
			}
		}
		return nil
	})
	return res, err
}
