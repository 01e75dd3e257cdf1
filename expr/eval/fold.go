package eval

import (
	"context"
	"fmt"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// Fold evaluates a bound expression that reads no column (and calls no
// plugin), as Eval would on a one-row batch: same kernels, same errors.
func Fold(e *expr.Expr) (types.Value, error) {
	if cols := expr.Columns(e); len(cols) > 0 {
		return types.Value{}, invalidf("fold %s: reads column #%d", e, cols[0])
	}
	c := &compiler{opts: &Options{}}
	n, _, err := c.compile(e)
	if err != nil {
		return types.Value{}, fmt.Errorf("fold %s: %w", e, err)
	}
	b := newBatch(context.Background(), nil, 1, c.opts)
	d, err := n.eval(b)
	if err != nil {
		return types.Value{}, err
	}
	defer d.release()
	if d.arr != nil {
		return retype(ValueAt(d.arr, 0), e.Type), nil
	}
	return retype(d.val, e.Type), nil
}
