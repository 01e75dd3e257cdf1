package optimizer

import "github.com/drover-etl/drover/plan/logical"

// LowerSetOps rewrites INTERSECT and EXCEPT (SetOp nodes) into a union of
// tagged inputs, an aggregate of per-side counts, a filter and, for ALL, a
// Replicate (logical.SetOp.Lower). It runs first, so that pushdown and
// pruning then work on nodes they know: a filter above the set operation
// reaches both inputs through the aggregate's group columns.
var LowerSetOps = Rule{Name: "lower_set_ops", Apply: lowerSetOps}

func lowerSetOps(n logical.Node, _ Config) (logical.Node, error) {
	return logical.Transform(n, func(n logical.Node) (logical.Node, error) {
		s, ok := n.(*logical.SetOp)
		if !ok {
			return n, nil
		}
		return s.Lower()
	})
}
