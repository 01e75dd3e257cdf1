package physical

import (
	"github.com/drover-etl/drover/plan/logical"
)

// join plans a join: the right input builds, the left probes. A broadcast
// join ships the whole build side to every probe task; a shuffled join
// partitions both sides by their keys into the same partitions.
//
// Joins whose unmatched right rows are output (right, full) must see each
// right row in exactly one task, so they are never broadcast: with keys
// they are shuffled, without keys (a nested loop) both sides are gathered
// into one partition. Other keyless joins broadcast the right side (a
// nested loop needs every right row next to each left row).
func (p *planner) join(j *logical.Join) (*Node, error) {
	left, err := p.plan(j.Left)
	if err != nil {
		return nil, err
	}
	right, err := p.plan(j.Right)
	if err != nil {
		return nil, err
	}
	op, strategy := OpHashJoin, j.Strategy
	switch {
	case len(j.LeftKeys) == 0:
		op = OpNestedLoopJoin
		strategy = logical.StrategyBroadcast
		if j.Type.KeepsUnmatchedRight() {
			strategy = logical.StrategyShuffle
		}
	case strategy == logical.StrategyAuto, j.Type.KeepsUnmatchedRight():
		strategy = logical.StrategyShuffle
	}
	switch {
	case strategy == logical.StrategyBroadcast:
		right = exchange(right, &ExchangeSpec{Kind: PartBroadcast, Partitions: 1})
	case op == OpNestedLoopJoin:
		left = exchange(left, &ExchangeSpec{Kind: PartSingle, Partitions: 1})
		right = exchange(right, &ExchangeSpec{Kind: PartSingle, Partitions: 1})
	default:
		left = exchange(left, &ExchangeSpec{Kind: PartHash, Keys: j.LeftKeys, Partitions: p.cfg.Partitions})
		right = exchange(right, &ExchangeSpec{Kind: PartHash, Keys: j.RightKeys, Partitions: p.cfg.Partitions})
	}
	return &Node{Op: op, Inputs: []*Node{left, right}, Schema: j.Schema(), Join: &JoinSpec{
		Type: j.Type, Strategy: strategy, LeftKeys: j.LeftKeys, RightKeys: j.RightKeys, Filter: j.Filter,
		NullSafe: j.NullSafe, MarkName: j.MarkName,
	}}, nil
}
