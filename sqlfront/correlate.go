package sqlfront

import (
	"errors"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// correlation is a subquery block's WHERE split into the conjuncts over
// its own FROM (local) and those that also name outer columns (conds).
type correlation struct {
	local []*expr.Expr
	conds []*expr.Expr
	inner *types.Schema // the block's FROM
	outer *types.Schema
}

// corrKey is one correlated equality: outer side = inner side (unbound).
type corrKey struct{ outer, inner *expr.Expr }

// splitCorrelated splits sq's block against the outer input. The
// correlation is nil when the subquery names no outer column (or is not a
// plain block): it can then be planned on its own.
func (p *planner) splitCorrelated(outer logical.Node, sq *subquery) (*subBlock, *correlation, error) {
	blk, ok, err := sq.block()
	if err != nil || !ok {
		return nil, nil, err
	}
	c := &correlation{inner: blk.q.Input.Schema(), outer: outer.Schema()}
	var where []*expr.Expr
	for _, w := range blk.where {
		where = append(where, factorOr(w)...)
	}
	for _, w := range where {
		s, err := c.sides(w)
		if err != nil {
			return nil, nil, err
		}
		if s&sideOuter != 0 {
			c.conds = append(c.conds, w)
		} else {
			c.local = append(c.local, w)
		}
	}
	if len(c.conds) == 0 {
		return blk, nil, nil
	}
	if outerRefsOutsideWhere(blk, c.inner, c.outer) {
		return nil, nil, unsupported("a subquery naming outer columns outside its WHERE clause is not supported")
	}
	return blk, c, nil
}

const (
	sideInner = 1 << iota
	sideOuter
)

// sides says whether e names columns of the block (sideInner), of the
// outer query (sideOuter) or both. A name resolves in the block first, as
// SQL scopes it; placeholders of nested subqueries belong to the block.
func (c *correlation) sides(e *expr.Expr) (int, error) {
	s := 0
	var err error
	expr.Walk(e, func(n *expr.Expr) bool {
		if n.Kind != expr.KindColumn || err != nil {
			return err == nil
		}
		if isPlaceholder(n) {
			s |= sideInner
			return true
		}
		_, ierr := c.inner.Resolve(n.Qualifier, n.Name)
		switch {
		case ierr == nil:
			s |= sideInner
		case errors.Is(ierr, types.ErrAmbiguousColumn):
			err = ierr
		default:
			if _, oerr := c.outer.Resolve(n.Qualifier, n.Name); oerr == nil {
				s |= sideOuter
			} else {
				err = ierr
			}
		}
		return err == nil
	})
	return s, err
}

// outerRefsOutsideWhere reports whether the block's select list names an
// outer column (a correlated value, which the joins cannot carry).
func outerRefsOutsideWhere(blk *subBlock, inner, outer *types.Schema) bool {
	c := &correlation{inner: inner, outer: outer}
	for _, it := range blk.q.Select {
		if it.Expr == nil {
			continue
		}
		if s, err := c.sides(it.Expr); err == nil && s&sideOuter != 0 {
			return true
		}
	}
	return false
}

// bind binds the correlated conjuncts over outer ++ inner (inner: the
// planned block, whose leading columns are its FROM's).
func (c *correlation) bind(outer, inner logical.Node, funcs expr.FuncResolver) ([]*expr.Expr, error) {
	nOut := outer.Schema().Len()
	both := outer.Schema().Concat(inner.Schema())
	out := make([]*expr.Expr, 0, len(c.conds))
	for _, w := range c.conds {
		pre, err := expr.Transform(w, func(n *expr.Expr) (*expr.Expr, error) {
			if n.Kind != expr.KindColumn {
				return n, nil
			}
			if i, err := inner.Schema().Resolve(n.Qualifier, n.Name); err == nil {
				return expr.BoundCol(nOut+i, both.Fields[nOut+i]), nil
			}
			j, err := outer.Schema().Resolve(n.Qualifier, n.Name)
			if err != nil {
				return nil, err
			}
			return expr.BoundCol(j, both.Fields[j]), nil
		})
		if err != nil {
			return nil, err
		}
		b, err := bindPredicate(pre, both, funcs)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// equiKeys returns the correlated conjuncts as outer = inner equalities,
// which grouping by the inner sides needs.
func (c *correlation) equiKeys() ([]corrKey, error) {
	keys := make([]corrKey, 0, len(c.conds))
	for _, w := range c.conds {
		if !w.IsCall(expr.FnEq) || len(w.Args) != 2 {
			return nil, unsupported("the correlated condition %s is not supported here: only equalities between an outer and an inner expression are", w)
		}
		a, b := w.Args[0], w.Args[1]
		sa, err := c.sides(a)
		if err != nil {
			return nil, err
		}
		sb, err := c.sides(b)
		if err != nil {
			return nil, err
		}
		switch {
		case sa == sideOuter && sb == sideInner:
			keys = append(keys, corrKey{outer: a, inner: b})
		case sa == sideInner && sb == sideOuter:
			keys = append(keys, corrKey{outer: b, inner: a})
		default:
			return nil, unsupported("the correlated condition %s is not supported here: only equalities between an outer and an inner expression are", w)
		}
	}
	return keys, nil
}

// joinOn joins left and right on conditions bound over left ++ right:
// equalities between the two sides become keys, the rest the residual
// filter; no keys at all is a nested-loop join.
func (p *planner) joinOn(left, right logical.Node, typ logical.JoinType, conds []*expr.Expr) (*logical.Join, error) {
	nLeft := left.Schema().Len()
	j := &logical.Join{Left: left, Right: right, Type: typ}
	var rest []*expr.Expr
	for _, c := range conds {
		if l, r, ok := equiKey(c, nLeft); ok {
			j.LeftKeys = append(j.LeftKeys, l)
			j.RightKeys = append(j.RightKeys, r)
			continue
		}
		rest = append(rest, c)
	}
	if len(rest) > 0 {
		f, err := bindPredicate(andAll(rest), left.Schema().Concat(right.Schema()), p.funcs)
		if err != nil {
			return nil, err
		}
		j.Filter = f
	}
	return j, nil
}

// markJoin keeps every row of left and adds the boolean column name: true
// when some row of right satisfies conds.
func (p *planner) markJoin(left, right logical.Node, conds []*expr.Expr, name string) (*logical.Join, error) {
	j, err := p.joinOn(left, right, logical.MarkJoin, conds)
	if err != nil {
		return nil, err
	}
	j.MarkName = name
	return j, nil
}

// factorOr pulls the conjuncts every branch of an OR shares out of it:
// (a AND b) OR (a AND c) is a AND (b OR c). A correlation written inside
// each branch (TPC-DS q41) then becomes a conjunct of its own.
func factorOr(e *expr.Expr) []*expr.Expr {
	if !e.IsCall(expr.FnOr) {
		return []*expr.Expr{e}
	}
	branches := splitOr(e)
	sets := make([][]*expr.Expr, len(branches))
	for i, b := range branches {
		sets[i] = splitAnd(b)
	}
	var common []*expr.Expr
	for _, c := range sets[0] {
		inAll := true
		for _, s := range sets[1:] {
			if indexOfText(s, c) < 0 {
				inAll = false
				break
			}
		}
		if inAll && indexOfText(common, c) < 0 {
			common = append(common, c)
		}
	}
	if len(common) == 0 {
		return []*expr.Expr{e}
	}
	var rest []*expr.Expr
	for _, s := range sets {
		var left []*expr.Expr
		for _, c := range s {
			if indexOfText(common, c) < 0 {
				left = append(left, c)
			}
		}
		if len(left) == 0 {
			return common // a branch is just the common part: the OR is implied
		}
		rest = append(rest, andAll(left))
	}
	or := rest[0]
	for _, r := range rest[1:] {
		or = expr.Call(expr.FnOr, or, r)
	}
	return append(common, or)
}

func splitOr(e *expr.Expr) []*expr.Expr {
	if e.IsCall(expr.FnOr) {
		var out []*expr.Expr
		for _, a := range e.Args {
			out = append(out, splitOr(a)...)
		}
		return out
	}
	return []*expr.Expr{e}
}

func indexOfText(list []*expr.Expr, e *expr.Expr) int {
	s := e.String()
	for i, x := range list {
		if x.String() == s {
			return i
		}
	}
	return -1
}
