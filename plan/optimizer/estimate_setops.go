package optimizer

import "github.com/drover-etl/drover/plan/logical"

// estimateSetNode sizes the nodes of grouping sets and set operations:
// Expand multiplies its input by the number of projection lists, VALUES
// is its rows, Replicate is guessed at its input's size, and a SetOp at
// most its left input (INTERSECT and EXCEPT never exceed it).
func estimateSetNode(n logical.Node) float64 {
	switch t := n.(type) {
	case *logical.Expand:
		return estimate(t.Input) * float64(len(t.Projections)) * widthRatio(t, t.Input)
	case *logical.Values:
		return float64(len(t.Rows)) * float64(max(rowWidth(t.Schema()), 1))
	case *logical.Replicate:
		return estimate(t.Input)
	case *logical.SetOp:
		return estimate(t.Left)
	}
	return unknownSize
}
