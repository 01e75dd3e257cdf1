package physical

import (
	"github.com/drover-etl/drover/plan/logical"
)

// join plans a hash join: the right input builds, the left probes. A
// broadcast join ships the whole build side to every probe task; a shuffled
// join partitions both sides by their keys into the same partitions.
func (p *planner) join(j *logical.Join) (*Node, error) {
	left, err := p.plan(j.Left)
	if err != nil {
		return nil, err
	}
	right, err := p.plan(j.Right)
	if err != nil {
		return nil, err
	}
	strategy := j.Strategy
	if strategy == logical.StrategyAuto {
		strategy = logical.StrategyShuffle
	}
	if strategy == logical.StrategyBroadcast {
		right = exchange(right, &ExchangeSpec{Kind: PartBroadcast, Partitions: 1})
	} else {
		left = exchange(left, &ExchangeSpec{Kind: PartHash, Keys: j.LeftKeys, Partitions: p.cfg.Partitions})
		right = exchange(right, &ExchangeSpec{Kind: PartHash, Keys: j.RightKeys, Partitions: p.cfg.Partitions})
	}
	return &Node{Op: OpHashJoin, Inputs: []*Node{left, right}, Schema: j.Schema(), Join: &JoinSpec{
		Type: j.Type, Strategy: strategy, LeftKeys: j.LeftKeys, RightKeys: j.RightKeys, Filter: j.Filter,
	}}, nil
}
