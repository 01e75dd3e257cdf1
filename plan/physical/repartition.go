package physical

import (
	"fmt"

	"github.com/drover-etl/drover/plan/logical"
)

// repartition plans the job spec's repartition and coalesce. Repartition
// is an exchange: hash by its keys, or round-robin without. Coalesce is
// no exchange: it lowers the task count of the stage it is in, each task
// reading a run of its input's partitions.
func (p *planner) repartition(n logical.Node) (*Node, error) {
	switch t := n.(type) {
	case *logical.Repartition:
		parts := t.Partitions
		if parts <= 0 {
			parts = p.cfg.Partitions
		}
		return p.unary(t, t.Input, func(in *Node) *Node {
			if len(t.Keys) == 0 {
				return exchange(in, &ExchangeSpec{Kind: PartRoundRobin, Partitions: parts})
			}
			return exchange(in, &ExchangeSpec{Kind: PartHash, Keys: t.Keys, Partitions: parts})
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
