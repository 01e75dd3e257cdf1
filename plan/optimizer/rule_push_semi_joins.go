package optimizer

import (
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
)

// PushSemiJoins moves a semi or anti join below the inner join it filters
// when its keys and filter read only one side of that join, and that side
// is the smaller one by the size estimates: (A ⋈ B) ⋉ C on B's columns
// becomes A ⋈ (B ⋉ C). Either way the result is the same (a semi or anti
// join keeps or drops each row by its own columns), but the filtered side
// is then the inner join's build side, which shrinks before it is built
// and broadcast, and a runtime filter built from it on the probe side's
// scan passes only the rows whose keys survived. TPC-H Q18 is the case: its IN
// subquery keeps 57 of 1.5 M orders, and was applied after orders had been
// joined to all of lineitem. A semi join on the larger side stays above:
// there it runs after the inner join's own filtering (TPC-H Q21's EXISTS on
// lineitem, after the join to one nation's suppliers). Pushes pass through
// Projects of bare columns, and repeat into the side's own inner joins.
//
// Only joins the planner chose nothing for yet (StrategyAuto) move; mark
// joins, which add a column, stay.
var PushSemiJoins = Rule{Name: "push_semi_joins", Apply: pushSemiJoins}

func pushSemiJoins(n logical.Node, _ Config) (logical.Node, error) {
	return logical.Transform(n, func(n logical.Node) (logical.Node, error) {
		j, ok := n.(*logical.Join)
		if !ok || (j.Type != logical.SemiJoin && j.Type != logical.AntiJoin) || j.Strategy != logical.StrategyAuto {
			return n, nil
		}
		if pushed, ok := pushSemi(j); ok {
			return pushed, nil
		}
		return n, nil
	})
}

// pushSemi pushes semi (or anti) join j into its left input; ok is false
// when it stays where it is.
func pushSemi(j *logical.Join) (logical.Node, bool) {
	switch in := j.Left.(type) {
	case *logical.Project:
		return pushSemiThroughProject(j, in)
	case *logical.Join:
		return pushSemiIntoJoin(j, in)
	}
	return nil, false
}

// pushSemiThroughProject moves j below a Project whose columns j reads are
// bare columns of its input, when j can then move on into a join.
func pushSemiThroughProject(j *logical.Join, p *logical.Project) (logical.Node, bool) {
	to := make([]int, len(p.Exprs))
	for i, e := range p.Exprs {
		to[i] = -1
		if e.Kind == expr.KindColumn {
			to[i] = e.Index
		}
	}
	below, ok := semiOver(j, p.Input, func(i int) int { return to[i] }, len(p.Exprs))
	if !ok {
		return nil, false
	}
	pushed, ok := pushSemi(below)
	if !ok {
		return nil, false
	}
	return p.WithChildren(pushed), true
}

// pushSemiIntoJoin moves j into the smaller side of inner join in, when j
// reads only that side.
func pushSemiIntoJoin(j *logical.Join, in *logical.Join) (logical.Node, bool) {
	if in.Type != logical.InnerJoin {
		return nil, false
	}
	nl, n := in.Left.Schema().Len(), in.Schema().Len()
	lo, hi := leftColumnRange(j, n)
	if lo > hi {
		return nil, false // reads no left column: a constant condition, leave it
	}
	side, off, other := in.Left, 0, in.Right
	if lo >= nl {
		side, off, other = in.Right, nl, in.Left
	} else if hi >= nl {
		return nil, false // reads both sides
	}
	if estimate(side) >= estimate(other) {
		return nil, false
	}
	w := side.Schema().Len()
	below, ok := semiOver(j, side, func(i int) int {
		if i-off < 0 || i-off >= w {
			return -1
		}
		return i - off
	}, n)
	if !ok {
		return nil, false
	}
	var moved logical.Node = below
	if deeper, ok := pushSemi(below); ok {
		moved = deeper
	}
	kids := []logical.Node{in.Left, moved}
	if off == 0 {
		kids = []logical.Node{moved, in.Right}
	}
	return in.WithChildren(kids...), true
}

// leftColumnRange is the smallest and largest column of j's left input
// (n columns) that its left keys and filter read; lo > hi when none.
func leftColumnRange(j *logical.Join, n int) (lo, hi int) {
	lo, hi = n, -1
	see := func(e *expr.Expr) {
		for _, c := range expr.Columns(e) {
			if c < n {
				lo, hi = min(lo, c), max(hi, c)
			}
		}
	}
	for _, k := range j.LeftKeys {
		see(k)
	}
	if j.Filter != nil {
		see(j.Filter)
	}
	return lo, hi
}

// semiOver is j with left input in instead of j.Left (n columns), left
// column i of j becoming column to(i) of in; ok is false when a column
// has no place there (to returns -1).
func semiOver(j *logical.Join, in logical.Node, to func(int) int, n int) (*logical.Join, bool) {
	fits := true
	left := func(i int) int {
		t := to(i)
		if t < 0 {
			fits = false
			return 0
		}
		return t
	}
	s := in.Schema()
	keys := rebindAll(j.LeftKeys, s, left)
	var filter *expr.Expr
	if j.Filter != nil {
		w := s.Len()
		filter = rebind(j.Filter, s.Concat(j.Right.Schema()), func(i int) int {
			if i >= n {
				return i - n + w
			}
			return left(i)
		})
	}
	if !fits {
		return nil, false
	}
	c := *j
	c.Left, c.LeftKeys, c.Filter = in, keys, filter
	return &c, true
}
