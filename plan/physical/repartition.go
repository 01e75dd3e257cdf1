package physical

import (
	"fmt"

	"github.com/drover-etl/drover/plan/logical"
)

// repartition plans the job spec's repartition and coalesce. Repartition
// is a hash exchange by its keys or, without keys, by every column: that
// spreads rows as evenly as round-robin would (rows entirely equal stay
// together) but, unlike dealing rows in arrival order, sends each row to
// the same partition when a lost map task is re-run after an operator
// whose output order varies (a hash aggregate), so a recompute can neither
// lose nor double rows. Coalesce is no exchange: it lowers the task count
// of the stage it is in, each task reading a run of its input's
// partitions.
func (p *planner) repartition(n logical.Node) (*Node, error) {
	switch t := n.(type) {
	case *logical.Repartition:
		parts := t.Partitions
		if parts <= 0 {
			parts = p.cfg.Partitions
		}
		return p.unary(t, t.Input, func(in *Node) *Node {
			keys := t.Keys
			if len(keys) == 0 {
				keys = columnRefs(in.Schema, in.Schema.Len())
			}
			return exchange(in, &ExchangeSpec{Kind: PartHash, Keys: keys, Partitions: parts, Fixed: t.Partitions > 0})
		})
	case *logical.Coalesce:
		if t.Partitions <= 0 {
			return nil, fmt.Errorf("physical: coalesce to %d partitions", t.Partitions)
		}
		return p.unary(t, t.Input, func(in *Node) *Node {
			return &Node{Op: OpCoalesce, Inputs: []*Node{in}, Schema: t.Schema(), Coalesce: t.Partitions}
		})
	}
	return nil, fmt.Errorf("physical: no plan for %T", n)
}
