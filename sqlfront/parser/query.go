package parser

import (
	"github.com/drover-etl/drover/sqlfront/ast"
)

// query: [WITH ...] body [ORDER BY ...] [LIMIT|OFFSET|FETCH ...].
func (p *parser) query() (*ast.Query, error) {
	q := &ast.Query{Pos: p.pos()}
	if p.isKw("with") {
		w, err := p.with()
		if err != nil {
			return nil, err
		}
		q.With = w
	}
	body, err := p.setExpr(0)
	if err != nil {
		return nil, err
	}
	q.Body = body
	if err := p.orderLimit(q); err != nil {
		return nil, err
	}
	// "(SELECT ...)" alone is the inner query itself.
	if inner, ok := q.Body.(*ast.Query); ok && q.With == nil && q.OrderBy == nil && q.Limit == nil && q.Offset == nil {
		return inner, nil
	}
	return q, nil
}

func (p *parser) with() (*ast.With, error) {
	w := &ast.With{Pos: p.pos()}
	p.advance()
	if p.isKw("recursive") {
		return nil, p.notSupported("WITH RECURSIVE")
	}
	for {
		c := &ast.CTE{Pos: p.pos()}
		name, _, err := p.ident("a name for the WITH query")
		if err != nil {
			return nil, err
		}
		c.Name = name
		if p.isOp("(") {
			if c.Columns, err = p.identList("a column name"); err != nil {
				return nil, err
			}
		}
		if err := p.expectKw("as"); err != nil {
			return nil, err
		}
		p.acceptKws("not", "materialized")
		p.acceptKw("materialized")
		if err := p.expectOp("("); err != nil {
			return nil, err
		}
		if c.Query, err = p.query(); err != nil {
			return nil, err
		}
		if err := p.expectOp(")"); err != nil {
			return nil, err
		}
		w.CTEs = append(w.CTEs, c)
		if !p.acceptOp(",") {
			return w, nil
		}
	}
}

// setOpPrec is the binding strength of a set operator at the current
// token (0: none). INTERSECT binds tighter than UNION and EXCEPT.
func (p *parser) setOpPrec() (ast.SetOpKind, int) {
	switch {
	case p.isKw("union"):
		return ast.Union, 1
	case p.isKw("except"):
		return ast.Except, 1
	case p.isKw("intersect"):
		return ast.Intersect, 2
	}
	return 0, 0
}

// setExpr parses set operations by precedence climbing.
func (p *parser) setExpr(minPrec int) (ast.QueryBody, error) {
	left, err := p.setPrimary()
	if err != nil {
		return nil, err
	}
	for {
		op, prec := p.setOpPrec()
		if prec == 0 || prec <= minPrec {
			return left, nil
		}
		s := &ast.SetOp{Pos: left.Position(), Op: op}
		p.advance()
		if p.acceptKw("all") {
			s.All = true
		} else {
			p.acceptKw("distinct")
		}
		if s.Right, err = p.setExpr(prec); err != nil {
			return nil, err
		}
		s.Left = left
		left = s
	}
}

func (p *parser) setPrimary() (ast.QueryBody, error) {
	switch {
	case p.isKw("select"):
		return p.selectBlock()
	case p.isKw("values"):
		return p.values()
	case p.isOp("("):
		p.advance()
		q, err := p.query()
		if err != nil {
			return nil, err
		}
		return q, p.expectOp(")")
	}
	return nil, p.errExpected("SELECT")
}

func (p *parser) values() (*ast.Values, error) {
	v := &ast.Values{Pos: p.pos()}
	p.advance()
	for {
		if err := p.expectOp("("); err != nil {
			return nil, err
		}
		row, err := p.exprList()
		if err != nil {
			return nil, err
		}
		if err := p.expectOp(")"); err != nil {
			return nil, err
		}
		if len(v.Rows) > 0 && len(row) != len(v.Rows[0]) {
			return nil, p.errHere("VALUES rows have %d and %d values", len(v.Rows[0]), len(row))
		}
		v.Rows = append(v.Rows, row)
		if !p.acceptOp(",") {
			return v, nil
		}
	}
}

// orderLimit reads ORDER BY, LIMIT, OFFSET and FETCH FIRST after a body.
func (p *parser) orderLimit(q *ast.Query) error {
	if p.acceptKws("order", "by") {
		items, err := p.orderItems()
		if err != nil {
			return err
		}
		q.OrderBy = items
	}
	for seen := map[string]bool{}; ; {
		var kw string
		switch {
		case p.isKw("limit"):
			kw = "limit"
		case p.isKw("offset"):
			kw = "offset"
		case p.isKw("fetch"):
			kw = "limit" // FETCH FIRST is another way to write LIMIT
		default:
			return nil
		}
		if seen[kw] {
			return p.errHere("a second %s", describe(p.tok()))
		}
		seen[kw] = true
		if err := p.limitClause(q); err != nil {
			return err
		}
	}
}

func (p *parser) limitClause(q *ast.Query) error {
	var err error
	switch t := p.advance(); {
	case isKw(t, "limit"):
		if p.acceptKw("all") {
			return nil
		}
		q.Limit, err = p.expr()
	case isKw(t, "offset"):
		if q.Offset, err = p.expr(); err == nil && !p.acceptKw("rows") {
			p.acceptKw("row")
		}
	default: // FETCH
		if !p.acceptKw("first") && !p.acceptKw("next") {
			return p.errExpected("FIRST or NEXT")
		}
		if p.isKw("row") || p.isKw("rows") {
			q.Limit = &ast.Literal{Pos: p.pos(), Kind: ast.LitInt, Text: "1"}
		} else if q.Limit, err = p.expr(); err != nil {
			return err
		}
		if !p.acceptKw("rows") && !p.acceptKw("row") {
			return p.errExpected("ROWS")
		}
		if !p.acceptKw("only") {
			if p.isKwSeq("with", "ties") {
				return p.notSupported("FETCH ... WITH TIES")
			}
			return p.errExpected("ONLY")
		}
	}
	return err
}

func (p *parser) orderItems() ([]*ast.OrderItem, error) {
	var items []*ast.OrderItem
	for {
		it, err := p.orderItem()
		if err != nil {
			return nil, err
		}
		items = append(items, it)
		if !p.acceptOp(",") {
			return items, nil
		}
	}
}

func (p *parser) orderItem() (*ast.OrderItem, error) {
	it := &ast.OrderItem{Pos: p.pos()}
	e, err := p.expr()
	if err != nil {
		return nil, err
	}
	it.Expr = e
	if p.acceptKw("desc") {
		it.Desc = true
	} else {
		p.acceptKw("asc")
	}
	switch {
	case p.acceptKws("nulls", "first"):
		it.Nulls = ast.NullsFirst
	case p.acceptKws("nulls", "last"):
		it.Nulls = ast.NullsLast
	case p.isKw("nulls"):
		p.advance()
		return nil, p.errExpected("FIRST or LAST")
	}
	return it, nil
}
