package optimizer

import (
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
)

// JoinKeys turns equalities between the two sides in a join's filter into
// join keys: a conjunct l = r with l reading only left columns and r only
// right ones (columns or expressions, of one type) is an equi-join
// condition, NULLs included (a NULL key matches nothing, as l = r is then
// NULL). push_predicates has by then moved the WHERE conjuncts that read
// both inputs of an inner or cross join into its filter, so FROM a, b WHERE
// a.id = b.id becomes a hash join instead of a nested loop over a cross
// product. Holds for every join type: the filter is the ON condition.
var JoinKeys = Rule{Name: "join_keys", Apply: extractJoinKeys}

func extractJoinKeys(n logical.Node, _ Config) (logical.Node, error) {
	return logical.Transform(n, func(n logical.Node) (logical.Node, error) {
		j, ok := n.(*logical.Join)
		if !ok || j.Filter == nil {
			return n, nil
		}
		return joinKeysFromFilter(j), nil
	})
}

func joinKeysFromFilter(j *logical.Join) logical.Node {
	nl := j.Left.Schema().Len()
	var lk, rk, rest []*expr.Expr
	for _, c := range conjuncts(j.Filter) {
		if l, r, ok := equiPair(c, nl); ok {
			lk, rk = append(lk, l), append(rk, r)
			continue
		}
		rest = append(rest, c)
	}
	if len(lk) == 0 {
		return j
	}
	c := *j
	c.LeftKeys = append(append([]*expr.Expr(nil), j.LeftKeys...), rebindAll(lk, j.Left.Schema(), same)...)
	shift := func(i int) int { return i - nl }
	c.RightKeys = append(append([]*expr.Expr(nil), j.RightKeys...), rebindAll(rk, j.Right.Schema(), shift)...)
	if len(j.NullSafe) > 0 {
		c.NullSafe = append(append([]bool(nil), j.NullSafe...), make([]bool, len(lk))...)
	}
	c.Filter = conjoin(rest)
	return &c
}

// equiPair splits l = r over left ++ right (nl left columns) into its left
// and right operand when each reads one side only and their types match.
// Plugin calls stay in the filter: as keys they would run on every row of
// both sides, not only on the pairs that reach the filter.
func equiPair(c *expr.Expr, nl int) (l, r *expr.Expr, ok bool) {
	if !c.IsCall(expr.FnEq) || len(c.Args) != 2 || hasPlugin(c) {
		return nil, nil, false
	}
	a, b := c.Args[0], c.Args[1]
	if a.Type != b.Type {
		return nil, nil, false
	}
	switch sa, sb := sideOf(a, nl), sideOf(b, nl); {
	case sa == sideLeft && sb == sideRight:
		return a, b, true
	case sa == sideRight && sb == sideLeft:
		return b, a, true
	}
	return nil, nil, false
}
