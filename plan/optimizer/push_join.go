package optimizer

import (
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
)

// side says which join inputs a predicate reads.
type side uint8

const (
	sideNone side = iota // no columns: a constant
	sideLeft
	sideRight
	sideBoth
)

func sideOf(e *expr.Expr, nl int) side {
	lo, hi, ok := colRange(e)
	switch {
	case !ok:
		return sideNone
	case hi < nl:
		return sideLeft
	case lo >= nl:
		return sideRight
	}
	return sideBoth
}

// joinPreds collects where each conjunct of a join ends up.
type joinPreds struct {
	left, right, on, above []*expr.Expr
}

// pushThroughJoin places the predicates above a join (preds) and the
// conjuncts of its own filter:
//   - inner: a conjunct of one side goes into that side; one reading both
//     joins the join filter (WHERE and ON mean the same for inner joins);
//   - left: above it only left-side conjuncts go left (right columns are
//     NULL on unmatched rows, which a pushed filter would not see); in ON,
//     right-side conjuncts go right (a right row failing them matches
//     nothing), left-side ones stay (they never drop left rows);
//   - right: the mirror image of left;
//   - full: nothing moves, above or in ON (both sides are preserved);
//   - semi, anti, mark: the output is the left side (and the mark), so
//     left conjuncts above go left, the rest stays above; in ON,
//     right-side conjuncts go right, and for semi left-side ones go left
//     (anti and mark keep the left rows they reject, so they stay).
//
// Constant conjuncts go to the preserved side from above (they keep all
// rows or none; above a full join they stay) and to the other side from ON
// (they decide whether any pair matches; in a full join's ON they stay).
func pushThroughJoin(j *logical.Join, preds []*expr.Expr) logical.Node {
	nl := j.Left.Schema().Len()
	var jp joinPreds
	for _, c := range preds {
		jp.placeAbove(j.Type, c, nl)
	}
	for _, c := range conjuncts(j.Filter) {
		jp.placeOn(j.Type, c, nl)
	}
	jp.inferAcrossKeys(j, nl)
	out := *j
	out.Left = pushDown(j.Left, rebindAll(jp.left, j.Left.Schema(), same))
	shift := func(i int) int { return i - nl }
	out.Right = pushDown(j.Right, rebindAll(jp.right, j.Right.Schema(), shift))
	out.Filter = conjoin(normalizeConjuncts(rebindAll(jp.on, out.Left.Schema().Concat(out.Right.Schema()), same)))
	return withFilter(&out, jp.above)
}

func (jp *joinPreds) placeAbove(t logical.JoinType, c *expr.Expr, nl int) {
	s := sideOf(c, nl)
	switch {
	case t == logical.FullJoin:
		jp.above = append(jp.above, c)
	case t == logical.RightJoin && (s == sideNone || s == sideRight):
		jp.right = append(jp.right, c)
	case t == logical.RightJoin:
		jp.above = append(jp.above, c)
	case s == sideNone || s == sideLeft:
		jp.left = append(jp.left, c)
	case t != logical.InnerJoin:
		jp.above = append(jp.above, c)
	case s == sideRight:
		jp.right = append(jp.right, c)
	default:
		jp.on = append(jp.on, c)
	}
}

func (jp *joinPreds) placeOn(t logical.JoinType, c *expr.Expr, nl int) {
	s := sideOf(c, nl)
	switch {
	case t == logical.FullJoin:
		jp.on = append(jp.on, c)
	case t == logical.RightJoin && (s == sideNone || s == sideLeft):
		jp.left = append(jp.left, c)
	case t == logical.RightJoin:
		jp.on = append(jp.on, c)
	case s == sideNone || s == sideRight:
		jp.right = append(jp.right, c)
	case s == sideLeft && (t == logical.InnerJoin || t == logical.SemiJoin):
		jp.left = append(jp.left, c)
	default:
		jp.on = append(jp.on, c)
	}
}

// inferAcrossKeys copies a one-side predicate on a join key column to the
// other side's key: a row pair matches only when the keys are equal and not
// NULL, so P(left key) on the left means rows failing P(right key) on the
// right match nothing (l.id = 5 gives r.id = 5, pruning both scans). Left
// to right holds unless the right side is preserved (right, full joins), as
// the left predicate is applied to the left input anyway; right to left
// only for inner, semi and right joins (left, anti and mark joins keep left
// rows that match nothing). Null-safe keys match NULLs, which a copied
// predicate may reject, so they are skipped. Plugin calls are not copied,
// so they do not run twice.
func (jp *joinPreds) inferAcrossKeys(j *logical.Join, nl int) {
	var toRight, toLeft []*expr.Expr
	for i, lk := range j.LeftKeys {
		rk := j.RightKeys[i]
		if lk.Kind != expr.KindColumn || rk.Kind != expr.KindColumn || j.NullSafeKey(i) {
			continue
		}
		if !j.Type.KeepsUnmatchedRight() {
			toRight = append(toRight, moveKeyPreds(jp.left, lk.Index, nl+rk.Index)...)
		}
		if j.Type == logical.InnerJoin || j.Type == logical.SemiJoin || j.Type == logical.RightJoin {
			toLeft = append(toLeft, moveKeyPreds(jp.right, nl+rk.Index, lk.Index)...)
		}
	}
	jp.right = append(jp.right, toRight...)
	jp.left = append(jp.left, toLeft...)
}

// moveKeyPreds returns the plugin-free preds that read column from only,
// rewritten to read column to instead (ordinals of left ++ right; the caller
// rebinds them onto the side they go to).
func moveKeyPreds(preds []*expr.Expr, from, to int) []*expr.Expr {
	var out []*expr.Expr
	for _, p := range preds {
		cols := expr.Columns(p)
		if len(cols) != 1 || cols[0] != from || hasPlugin(p) {
			continue
		}
		out = append(out, mapColumns(p, func(c *expr.Expr) *expr.Expr {
			m := *c
			m.Index = to
			return &m
		}))
	}
	return out
}
