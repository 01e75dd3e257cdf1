package physical

import (
	"fmt"

	"github.com/drover-etl/drover/plan/logical"
)

// setNode plans the nodes of grouping sets, VALUES and set operations.
// Expand and Replicate work row by row within a partition; Values is a
// leaf of one partition (package stage gives its fragment one task); a
// SetOp the optimizer did not lower is lowered here.
func (p *planner) setNode(n logical.Node) (*Node, error) {
	switch t := n.(type) {
	case *logical.Expand:
		return p.unary(t, t.Input, func(in *Node) *Node {
			return &Node{Op: OpExpand, Inputs: []*Node{in}, Schema: t.Schema(), Expand: &ExpandSpec{Projections: t.Projections}}
		})
	case *logical.Values:
		return &Node{Op: OpValues, Schema: t.Schema(), Values: &ValuesSpec{Rows: t.Rows}}, nil
	case *logical.Replicate:
		return p.unary(t, t.Input, func(in *Node) *Node {
			return &Node{Op: OpReplicate, Inputs: []*Node{in}, Schema: t.Schema(), Replicate: t.Count}
		})
	case *logical.SetOp:
		lowered, err := t.Lower()
		if err != nil {
			return nil, fmt.Errorf("physical: %w", err)
		}
		return p.plan(lowered)
	}
	return nil, fmt.Errorf("physical: no plan for %T", n)
}
