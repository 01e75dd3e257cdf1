package optimizer

import (
	"fmt"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
)

// How the rules treat a Window node. A Window keeps every input row and
// column (at the same ordinals) and appends one column per function, so:
//   - pruning drops functions nobody reads, and the node itself when none
//     is left; the input keeps what passes through plus partition keys,
//     order keys and the arguments of kept functions;
//   - a predicate may move below it only when it reads nothing but columns
//     that are PARTITION BY keys: it then keeps or drops whole partitions,
//     which changes no function's value. Any other predicate would change
//     the rows the functions see (a row_number, a running sum), so it stays
//     above.

func pruneWindow(w *logical.Window, need colSet) (logical.Node, colMap) {
	nIn := w.Input.Schema().Len()
	inNeed := append(colSet(nil), need[:nIn]...)
	var kept []int
	for k := range w.Funcs {
		if need[nIn+k] {
			kept = append(kept, k)
		}
	}
	if len(kept) == 0 {
		in, m := prune(w.Input, inNeed)
		return in, append(m, minusOnes(len(w.Funcs))...)
	}
	for _, e := range w.PartitionBy {
		inNeed.addExpr(e, 0)
	}
	for _, k := range w.OrderBy {
		inNeed.addExpr(k.Expr, 0)
	}
	for _, k := range kept {
		for _, a := range w.Funcs[k].Args {
			inNeed.addExpr(a, 0)
		}
	}
	in, m := prune(w.Input, inNeed)
	s := in.Schema()
	c := &logical.Window{Input: in, PartitionBy: remapAll(w.PartitionBy, m, s)}
	for _, k := range w.OrderBy {
		k.Expr = remap(k.Expr, m, s)
		c.OrderBy = append(c.OrderBy, k)
	}
	out := append(colMap(nil), m...)
	out = append(out, minusOnes(len(w.Funcs))...)
	for j, k := range kept {
		f := w.Funcs[k]
		f.Args = remapAll(f.Args, m, s)
		c.Funcs = append(c.Funcs, f)
		out[nIn+k] = s.Len() + j
	}
	return c, out
}

func minusOnes(n int) colMap {
	m := make(colMap, n)
	for i := range m {
		m[i] = -1
	}
	return m
}

func pushThroughWindow(w *logical.Window, preds []*expr.Expr) logical.Node {
	keys := map[int]bool{}
	for _, e := range w.PartitionBy {
		if e.Kind == expr.KindColumn {
			keys[e.Index] = true
		}
	}
	var down, keep []*expr.Expr
	for _, p := range preds {
		if hasPlugin(p) || !readsOnly(p, keys) {
			keep = append(keep, p)
			continue
		}
		down = append(down, rebind(p, w.Input.Schema(), same))
	}
	return withFilter(w.WithChildren(pushDown(w.Input, down)), keep)
}

// readsOnly reports whether every column e reads is in cols.
func readsOnly(e *expr.Expr, cols map[int]bool) bool {
	for _, c := range expr.Columns(e) {
		if !cols[c] {
			return false
		}
	}
	return true
}

func validateWindow(w *logical.Window) error {
	in := w.Input.Schema()
	if err := checkExprs(w.PartitionBy, in); err != nil {
		return fmt.Errorf("partition key: %w", err)
	}
	for _, k := range w.OrderBy {
		if err := checkExpr(k.Expr, in); err != nil {
			return fmt.Errorf("order key: %w", err)
		}
	}
	for _, f := range w.Funcs {
		if err := checkExprs(f.Args, in); err != nil {
			return fmt.Errorf("window function %s: %w", f.Name, err)
		}
	}
	return nil
}
