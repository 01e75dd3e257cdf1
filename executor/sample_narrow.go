package executor

import (
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/task"
)

// sampleFragment is the fragment a task runs and, for a sample task, the
// sort keys it samples, narrowed by narrowForSample.
func sampleFragment(spec *task.Spec) (*physical.Node, []logical.SortKey) {
	if !spec.Sample || spec.Output == nil {
		return spec.Fragment, nil
	}
	return narrowForSample(spec.Fragment, spec.Output.SortKeys)
}

// narrowForSample makes a sample task cheaper: when its fragment is a bare
// scan, it reads only the columns the sort keys and the scan's filters
// need, and the keys are rebound to that narrower output. A sample task
// evaluates nothing but the keys, so decoding the other columns (for a
// sort of wide rows: every string column) is wasted work. Any other
// fragment is returned unchanged.
func narrowForSample(frag *physical.Node, keys []logical.SortKey) (*physical.Node, []logical.SortKey) {
	if frag.Op != physical.OpScan || frag.Scan == nil {
		return frag, keys
	}
	s := frag.Scan
	cols := s.Columns
	if cols == nil {
		cols = make([]int, s.Table.Len())
		for i := range cols {
			cols[i] = i
		}
	}
	need := map[int]bool{} // table ordinals
	for _, k := range keys {
		for _, c := range expr.Columns(k.Expr) {
			need[cols[c]] = true
		}
	}
	for _, f := range s.Filters {
		for _, c := range expr.Columns(f) {
			need[c] = true
		}
	}
	var keep, narrow []int // old output positions kept, their table ordinals
	newPos := map[int]int{}
	for p, c := range cols {
		if need[c] {
			newPos[p] = len(keep)
			keep, narrow = append(keep, p), append(narrow, c)
		}
	}
	if len(keep) == len(cols) {
		return frag, keys
	}
	out := make([]logical.SortKey, len(keys))
	for i, k := range keys {
		e, err := expr.Transform(k.Expr, func(e *expr.Expr) (*expr.Expr, error) {
			if e.Kind == expr.KindColumn {
				e.Index = newPos[e.Index]
			}
			return e, nil
		})
		if err != nil {
			return frag, keys
		}
		k.Expr = e
		out[i] = k
	}
	scan := *s
	scan.Columns = narrow
	n := *frag
	n.Scan, n.Schema = &scan, frag.Schema.Project(keep)
	return &n, out
}
