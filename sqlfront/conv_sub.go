package sqlfront

import (
	"strconv"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/sqlfront/ast"
)

// sub registers a subquery of the block being converted and returns its
// placeholder (see subquery.go).
func (c *conv) sub(kind subKind, lhs *expr.Expr, q *ast.Query, at ast.Node) (*expr.Expr, error) {
	return c.subOp(kind, lhs, "", q, at)
}

func (c *conv) subOp(kind subKind, lhs *expr.Expr, op string, q *ast.Query, at ast.Node) (*expr.Expr, error) {
	if c == nil || c.q == nil {
		return nil, unsupported("not supported: a subquery here (at line %d, column %d); subqueries work in the WHERE, HAVING, select list and ORDER BY of SQL views", at.Position().Line, at.Position().Col)
	}
	name := sqPrefix + strconv.Itoa(c.b.next())
	if c.q.subs == nil {
		c.q.subs = map[string]*subquery{}
	}
	c.q.subs[name] = &subquery{name: name, kind: kind, lhs: lhs, op: op, src: &astSub{b: c.b, q: q}}
	return expr.Col("", name), nil
}

func (c *conv) convertExists(x *ast.Exists) (*expr.Expr, error) {
	return c.sub(subExists, nil, x.Query, x)
}

func (c *conv) convertScalarSub(x *ast.Subquery) (*expr.Expr, error) {
	return c.sub(subScalar, nil, x.Query, x)
}

func (c *conv) convertInSub(x *ast.InSubquery) (*expr.Expr, error) {
	if _, row := x.X.(*ast.Subquery); row {
		return nil, unsupported("not supported: a subquery on the left of IN (subquery)")
	}
	lhs, err := c.convert(x.X)
	if err != nil {
		return nil, err
	}
	e, err := c.sub(subIn, lhs, x.Query, x)
	if err != nil || !x.Not {
		return e, err
	}
	return expr.Call(expr.FnNot, e), nil
}

// astSub is a subquery's statement, planned by the statement's builder
// (which sees the same relations and WITH names).
type astSub struct {
	b *sqlBuilder
	q *ast.Query
}

func (s *astSub) whole() (logical.Node, error) { return s.b.query(s.q, "") }

func (s *astSub) split() (*subBlock, bool, error) {
	sel, ok := s.q.Body.(*ast.Select)
	if !ok {
		return nil, false, nil
	}
	b, err := s.b.with(s.q.With)
	if err != nil {
		return nil, false, err
	}
	q, where, err := b.block(sel, s.q, "")
	if err != nil {
		return nil, false, err
	}
	return &subBlock{q: q, where: where}, true, nil
}

// negatedOps maps a comparison to the one true exactly when it is false
// (for non-NULL operands).
var negatedOps = map[string]string{
	expr.FnEq: expr.FnNe, expr.FnNe: expr.FnEq, expr.FnLt: expr.FnGe,
	expr.FnGe: expr.FnLt, expr.FnGt: expr.FnLe, expr.FnLe: expr.FnGt,
}

// convertQuantified: x op ANY (q) holds when x op v for some value v of q
// (NULL when none does and a NULL is involved, like IN); x op ALL (q) is
// NOT (x negated-op ANY (q)).
func (c *conv) convertQuantified(x *ast.Quantified) (*expr.Expr, error) {
	op, ok := binaryOps[x.Op]
	if _, cmp := negatedOps[op]; !ok || !cmp {
		return nil, unsupported("not supported: %s with ANY / ALL", x.Op)
	}
	lhs, err := c.convert(x.L)
	if err != nil {
		return nil, err
	}
	if !x.All {
		return c.subOp(subIn, lhs, op, x.Query, x)
	}
	e, err := c.subOp(subIn, lhs, negatedOps[op], x.Query, x)
	if err != nil {
		return nil, err
	}
	return expr.Call(expr.FnNot, e), nil
}
