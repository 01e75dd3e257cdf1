package sqlfront

import (
	"strings"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// PlanJoin joins left and right on the unbound condition on. Equality
// conjuncts with one side over left columns only and the other over right
// columns only become the join keys; every other conjunct becomes the
// residual filter. A join without such an equality is a nested-loop join
// with the whole condition as its filter.
func PlanJoin(left, right logical.Node, typ logical.JoinType, on *expr.Expr, funcs expr.FuncResolver) (*logical.Join, error) {
	if err := checkDistinctRelations(left.Schema(), right.Schema()); err != nil {
		return nil, err
	}
	if HasAggregate(on) {
		return nil, planErr("aggregates are not allowed in a join condition")
	}
	both := left.Schema().Concat(right.Schema())
	nLeft := left.Schema().Len()
	j := &logical.Join{Left: left, Right: right, Type: typ}
	var rest []*expr.Expr
	for _, c := range splitAnd(on) {
		b, err := bindPredicate(c, both, funcs)
		if err != nil {
			return nil, err
		}
		if l, r, ok := equiKey(b, nLeft); ok {
			j.LeftKeys = append(j.LeftKeys, l)
			j.RightKeys = append(j.RightKeys, r)
			continue
		}
		rest = append(rest, c)
	}
	if len(rest) > 0 {
		f, err := bindPredicate(andAll(rest), both, funcs)
		if err != nil {
			return nil, err
		}
		j.Filter = f
	}
	return j, nil
}

// checkDistinctRelations rejects joining a relation with itself (or two
// with the same name) without an alias: every column would be ambiguous.
func checkDistinctRelations(l, r *types.Schema) error {
	seen := map[string]bool{}
	for _, f := range l.Fields {
		seen[strings.ToLower(f.Qualifier)] = true
	}
	for _, f := range r.Fields {
		if f.Qualifier != "" && seen[strings.ToLower(f.Qualifier)] {
			return planErr("%q appears on both sides of the join; give one side an alias", f.Qualifier)
		}
	}
	return nil
}

// equiKey splits a bound eq over the concatenated schema into a left key
// and a right key (re-indexed to the right schema) when each side reads
// one input only.
func equiKey(b *expr.Expr, nLeft int) (l, r *expr.Expr, ok bool) {
	if !b.IsCall(expr.FnEq) {
		return nil, nil, false
	}
	a, c := b.Args[0], b.Args[1]
	switch sa, sc := side(a, nLeft), side(c, nLeft); {
	case sa == sideLeft && sc == sideRight:
		return a, shift(c, -nLeft), true
	case sa == sideRight && sc == sideLeft:
		return c, shift(a, -nLeft), true
	}
	return nil, nil, false
}

const (
	sideNone = iota
	sideLeft
	sideRight
	sideBoth
)

func side(e *expr.Expr, nLeft int) int {
	s := sideNone
	for _, i := range expr.Columns(e) {
		if i < nLeft {
			s |= sideLeft
		} else {
			s |= sideRight
		}
	}
	return s
}

// shift moves every column ordinal of a bound tree by delta.
func shift(e *expr.Expr, delta int) *expr.Expr {
	out, _ := expr.Transform(e, func(n *expr.Expr) (*expr.Expr, error) {
		if n.Kind == expr.KindColumn {
			n.Index += delta
		}
		return n, nil
	})
	return out
}

// splitAnd lists the conjuncts of e.
func splitAnd(e *expr.Expr) []*expr.Expr {
	if e.IsCall(expr.FnAnd) {
		var out []*expr.Expr
		for _, a := range e.Args {
			out = append(out, splitAnd(a)...)
		}
		return out
	}
	return []*expr.Expr{e}
}

// andAll is the conjunction of es (which must not be empty).
func andAll(es []*expr.Expr) *expr.Expr {
	out := es[0]
	for _, e := range es[1:] {
		out = expr.Call(expr.FnAnd, out, e)
	}
	return out
}
