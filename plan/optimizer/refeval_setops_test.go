package optimizer

import (
	"fmt"

	"github.com/drover-etl/drover/plan/logical"
)

// The reference interpreter for grouping sets, VALUES, Replicate, set
// operations and LIMIT … OFFSET. SetOp is evaluated directly from row
// counts, not through its lowering, so that the lowering is checked too.

func runSetNode(n logical.Node, data dataset) []row {
	switch t := n.(type) {
	case *logical.Expand:
		var out []row
		for _, r := range run(t.Input, data) {
			for _, p := range t.Projections {
				out = append(out, evalAll(p, r))
			}
		}
		return out
	case *logical.Values:
		var out []row
		for _, r := range t.Rows {
			out = append(out, evalAll(r, nil))
		}
		return out
	case *logical.Replicate:
		var out []row
		for _, r := range run(t.Input, data) {
			c := evalExpr(t.Count, r)
			for i := int64(0); !c.Null && i < c.I; i++ {
				out = append(out, r)
			}
		}
		return out
	case *logical.SetOp:
		return runSetOp(t, data)
	case *logical.Limit:
		rows := run(t.Input, data)
		start := min(int64(len(rows)), t.Offset)
		end := int64(len(rows))
		if !t.Unbounded() {
			end = min(end, start+t.N)
		}
		return rows[start:end]
	}
	panic(fmt.Sprintf("refeval: node %T", n))
}

// runSetOp keeps, per distinct row (NULLs equal), min(l, r) copies for
// INTERSECT ALL, max(l-r, 0) for EXCEPT ALL, and one copy for the DISTINCT
// forms when the row is on both sides (INTERSECT) or only on the left
// (EXCEPT).
func runSetOp(s *logical.SetOp, data dataset) []row {
	right := map[string]int{}
	for _, r := range run(s.Right, data) {
		right[key(r)]++
	}
	left := map[string]int{}
	var order []row
	for _, r := range run(s.Left, data) {
		if left[key(r)] == 0 {
			order = append(order, r)
		}
		left[key(r)]++
	}
	var out []row
	for _, r := range order {
		l, rc := left[key(r)], right[key(r)]
		var n int
		switch {
		case s.Kind == logical.Intersect && s.All:
			n = min(l, rc)
		case s.Kind == logical.Intersect:
			n = min(1, l, rc)
		case s.All:
			n = max(l-rc, 0)
		case rc == 0:
			n = 1
		}
		for range n {
			out = append(out, r)
		}
	}
	return out
}
