package optimizer

import (
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
)

// JoinStrategy picks how each join runs. The right input is the build
// side; an inner join whose left input is estimated smaller gets its inputs
// swapped (with a Project above restoring the column order, so nothing
// above changes). A build side estimated below the broadcast threshold is
// broadcast, anything else (including unknown sizes) shuffled. Left, semi
// and anti joins must build on the right, so they are only switched to
// broadcast when the right is small. A join whose strategy is already set
// (a user hint) is left alone.
var JoinStrategy = Rule{Name: "join_strategy", Apply: chooseJoinStrategies}

func chooseJoinStrategies(n logical.Node, cfg Config) (logical.Node, error) {
	return logical.Transform(n, func(n logical.Node) (logical.Node, error) {
		j, ok := n.(*logical.Join)
		if !ok || j.Strategy != logical.StrategyAuto {
			return n, nil
		}
		return planJoin(j, cfg.broadcastThreshold()), nil
	})
}

func planJoin(j *logical.Join, threshold int64) logical.Node {
	left, right := estimate(j.Left), estimate(j.Right)
	if j.Type == logical.InnerJoin && left < right {
		swapped := swapInputs(j)
		swapped.Strategy = strategyFor(left, threshold)
		return restoreOrder(swapped, j)
	}
	c := *j
	c.Strategy = strategyFor(right, threshold)
	return &c
}

func strategyFor(build float64, threshold int64) logical.JoinStrategy {
	if threshold > 0 && build < float64(threshold) {
		return logical.StrategyBroadcast
	}
	return logical.StrategyShuffle
}

// swapInputs exchanges the inputs of an inner join, its keys, and the
// filter's column ordinals (left ++ right becomes right ++ left).
func swapInputs(j *logical.Join) *logical.Join {
	nl, nr := j.Left.Schema().Len(), j.Right.Schema().Len()
	c := *j
	c.Left, c.Right = j.Right, j.Left
	c.LeftKeys, c.RightKeys = j.RightKeys, j.LeftKeys
	if j.Filter != nil {
		s := c.Left.Schema().Concat(c.Right.Schema())
		c.Filter = rebind(j.Filter, s, func(i int) int {
			if i < nl {
				return i + nr
			}
			return i - nl
		})
	}
	return &c
}

// restoreOrder puts a swapped join's columns back in the original join's
// order and names.
func restoreOrder(swapped, orig *logical.Join) logical.Node {
	nl, nr := orig.Left.Schema().Len(), orig.Right.Schema().Len()
	s := swapped.Schema()
	out := orig.Schema()
	p := &logical.Project{Input: swapped, Qualifier: sharedQualifier(out, identityMap(out.Len()))}
	for i, f := range out.Fields {
		src := nr + i // a left column, now after the right ones
		if i >= nl {
			src = i - nl
		}
		p.Exprs = append(p.Exprs, expr.BoundCol(src, s.Fields[src]))
		p.Names = append(p.Names, f.Name)
	}
	return p
}
