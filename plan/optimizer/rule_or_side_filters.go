package optimizer

import (
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
)

// OrSideFilters derives, from an OR in an inner join's filter whose every
// branch constrains one side, a filter on that side alone, and pushes it
// into that input: (p.brand = 'A' AND l.qty < 5) OR (p.brand = 'B' AND
// l.qty < 9) implies p.brand = 'A' OR p.brand = 'B' on the part side, and
// l.qty < 5 OR l.qty < 9 on the lineitem side. The derived filters are
// weaker than the OR, which stays in the join, so the answer is the same;
// the inputs just shrink before the join (TPC-H Q19, TPC-DS Q13 and Q48).
// Plugin calls are not copied.
var OrSideFilters = Rule{Name: "or_side_filters", Apply: orSideFilters}

func orSideFilters(n logical.Node, _ Config) (logical.Node, error) {
	return logical.Transform(n, func(n logical.Node) (logical.Node, error) {
		j, ok := n.(*logical.Join)
		if !ok || j.Type != logical.InnerJoin || j.Filter == nil {
			return n, nil
		}
		return deriveSideFilters(j), nil
	})
}

func deriveSideFilters(j *logical.Join) logical.Node {
	nl := j.Left.Schema().Len()
	var left, right []*expr.Expr
	for _, c := range conjuncts(j.Filter) {
		if !c.IsCall(expr.FnOr) || hasPlugin(c) {
			continue
		}
		if d := sideDisjunction(c, nl, sideLeft); d != nil {
			left = append(left, d)
		}
		if d := sideDisjunction(c, nl, sideRight); d != nil {
			right = append(right, d)
		}
	}
	if len(left) == 0 && len(right) == 0 {
		return j
	}
	c := *j
	if len(left) > 0 {
		c.Left = pushDown(j.Left, rebindAll(left, j.Left.Schema(), same))
	}
	if len(right) > 0 {
		c.Right = pushDown(j.Right, rebindAll(right, j.Right.Schema(), func(i int) int { return i - nl }))
	}
	return &c
}

// sideDisjunction is OR over the branches of or of the AND of each
// branch's conjuncts that read side only; nil when some branch has none
// (that branch constrains the side in no way).
func sideDisjunction(or *expr.Expr, nl int, s side) *expr.Expr {
	var branches []*expr.Expr
	for _, b := range disjuncts(or) {
		var mine []*expr.Expr
		for _, c := range conjuncts(b) {
			if sideOf(c, nl) == s {
				mine = append(mine, c)
			}
		}
		if len(mine) == 0 {
			return nil
		}
		branches = append(branches, conjoin(mine))
	}
	return disjoin(branches)
}
