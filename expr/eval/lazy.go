package eval

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/expr"
)

// lazyArg is an operand of CASE or COALESCE that only some rows need. The
// common case evaluates it over the whole batch (one vectorized pass beats
// gathering rows); if that fails, or it calls a plugin (too costly to run
// on rows nobody uses), it runs on just the rows that need it, so an error
// on other rows never surfaces.
type lazyArg struct {
	node
	cols   []int // columns it reads, for building a sub-batch
	subset bool  // always evaluate on the needed rows only
}

func newLazyArg(e *expr.Expr, n node) lazyArg {
	plugin := false
	expr.Walk(e, func(x *expr.Expr) bool {
		plugin = plugin || (x.Kind == expr.KindCall && isPluginName(x.Name))
		return !plugin
	})
	return lazyArg{node: n, cols: expr.Columns(e), subset: plugin}
}

// evalFor evaluates the arg for the rows set in need (cnt of them). Rows
// outside need hold unspecified values in the result.
func (l lazyArg) evalFor(b *batch, need []byte, cnt int) (datum, error) {
	if cnt == b.n || !l.subset {
		d, err := l.eval(b)
		if err == nil || cnt == b.n {
			return d, err
		}
	}
	return l.evalSubset(b, need, cnt)
}

// evalSubset gathers the needed rows of the columns the arg reads,
// evaluates there, and scatters the result back to batch positions.
func (l lazyArg) evalSubset(b *batch, need []byte, cnt int) (datum, error) {
	idx := indicesOf(need, b.n, cnt)
	sub := b.sized(cnt)
	sub.cols = make([]arrow.Array, len(b.cols))
	defer func() {
		for _, c := range sub.cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for _, c := range l.cols {
		if c >= len(b.cols) || b.cols[c] == nil {
			return datum{}, invalidf("column #%d not in the batch", c)
		}
		col, err := gather(b, b.cols[c], idx, nil)
		if err != nil {
			return datum{}, err
		}
		sub.cols[c] = col
	}
	d, err := l.eval(sub)
	if err != nil || d.arr == nil {
		return d, err
	}
	defer d.release()
	out, err := gather(b, d.arr, scatterIndices(need, b.n), need)
	return datum{arr: out}, err
}

// scatterIndices maps each batch row to its position among the set rows
// of mask (rows not set get 0 and are NULL in the gather).
func scatterIndices(mask []byte, n int) []int32 {
	idx := make([]int32, n)
	j := int32(0)
	for i := range n {
		if bitSet(mask, i) {
			idx[i] = j
			j++
		}
	}
	return idx
}
