package optimizer

import (
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
)

// JoinStrategy picks how each join runs. The right input is the build
// side; an inner or full join whose left input is estimated smaller gets its
// inputs swapped (with a Project above restoring the column order, so
// nothing above changes), and so does a right join, which becomes a left
// join that way (always when it has no keys: a keyless right join could
// only run in one partition). A build side estimated below the broadcast
// threshold is broadcast, anything else (including unknown sizes)
// shuffled. Left, semi, anti and mark joins must build on the right, so they
// are only switched to broadcast when the right is small. Right and full
// joins emit their unmatched build rows, which must sit in one task each:
// they are always shuffled. A join whose strategy is already set (a user
// hint) is left alone. (The physical planner runs joins without keys as
// nested loops with the right side broadcast, whatever the strategy.)
var JoinStrategy = Rule{Name: "join_strategy", Apply: chooseJoinStrategies}

func chooseJoinStrategies(n logical.Node, cfg Config) (logical.Node, error) {
	return logical.Transform(n, func(n logical.Node) (logical.Node, error) {
		if f, ok := n.(*logical.Filter); ok {
			return filterUnderReorder(f), nil
		}
		j, ok := n.(*logical.Join)
		if !ok || j.Strategy != logical.StrategyAuto {
			return n, nil
		}
		return planJoin(j, cfg), nil
	})
}

// filterUnderReorder moves a filter that a swap left above the Project
// restoring the column order (predicates kept above an outer join) below
// it, where push_predicates would have put it: optimizing twice must not
// change the plan.
func filterUnderReorder(f *logical.Filter) logical.Node {
	p, ok := f.Input.(*logical.Project)
	if !ok {
		return f
	}
	for _, e := range p.Exprs {
		if e.Kind != expr.KindColumn {
			return f
		}
	}
	cond := substitute(f.Cond, p.Exprs)
	return p.WithChildren(&logical.Filter{Input: p.Input, Cond: cond})
}

func planJoin(j *logical.Join, cfg Config) logical.Node {
	left, right := estimate(j.Left), estimate(j.Right)
	swap := false
	switch j.Type {
	case logical.InnerJoin, logical.FullJoin:
		swap = left < right
	case logical.RightJoin:
		swap = left < right || len(j.LeftKeys) == 0
	}
	if swap {
		swapped := swapInputs(j)
		swapped.Strategy = strategyFor(swapped.Type, left, right, cfg)
		return restoreOrder(swapped, j)
	}
	c := *j
	c.Strategy = strategyFor(j.Type, right, left, cfg)
	return &c
}

func strategyFor(t logical.JoinType, build, probe float64, cfg Config) logical.JoinStrategy {
	if t.KeepsUnmatchedRight() {
		return logical.StrategyShuffle
	}
	return sizeStrategy(build, probe, cfg)
}

func sizeStrategy(build, probe float64, cfg Config) logical.JoinStrategy {
	threshold := cfg.broadcastThreshold()
	if threshold <= 0 || build >= float64(threshold) {
		return logical.StrategyShuffle
	}
	if r := cfg.BroadcastProbeRatio; r > 0 && build >= DefaultBroadcastThreshold && probe < r*build {
		return logical.StrategyShuffle
	}
	return logical.StrategyBroadcast
}

// swapInputs exchanges the inputs of an inner, full or right join (which
// becomes a left join), its keys, and the filter's column ordinals (left ++
// right becomes right ++ left).
func swapInputs(j *logical.Join) *logical.Join {
	nl, nr := j.Left.Schema().Len(), j.Right.Schema().Len()
	c := *j
	if j.Type == logical.RightJoin {
		c.Type = logical.LeftJoin
	}
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
