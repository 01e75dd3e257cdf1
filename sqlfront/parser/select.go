package parser

import (
	"github.com/drover-etl/drover/sqlfront/ast"
)

// selectBlock: SELECT [DISTINCT|ALL] items [FROM ...] [WHERE ...]
// [GROUP BY ...] [HAVING ...] [WINDOW ...] [QUALIFY ...].
func (p *parser) selectBlock() (*ast.Select, error) {
	s := &ast.Select{Pos: p.pos()}
	p.advance()
	if p.acceptKw("distinct") {
		if p.isKw("on") {
			return nil, p.notSupported("DISTINCT ON")
		}
		s.Distinct = true
	} else {
		p.acceptKw("all")
	}
	var err error
	if s.Items, err = p.selectItems(); err != nil {
		return nil, err
	}
	if p.acceptKw("from") {
		if s.From, err = p.fromList(); err != nil {
			return nil, err
		}
	}
	if p.acceptKw("where") {
		if s.Where, err = p.expr(); err != nil {
			return nil, err
		}
	}
	if p.acceptKws("group", "by") {
		if s.GroupBy, err = p.groupBy(); err != nil {
			return nil, err
		}
	}
	if p.acceptKw("having") {
		if s.Having, err = p.expr(); err != nil {
			return nil, err
		}
	}
	if p.acceptKw("window") {
		if s.Windows, err = p.windowClause(); err != nil {
			return nil, err
		}
	}
	if p.acceptKw("qualify") {
		if s.Qualify, err = p.expr(); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (p *parser) selectItems() ([]*ast.SelectItem, error) {
	var items []*ast.SelectItem
	for {
		it, err := p.selectItem()
		if err != nil {
			return nil, err
		}
		items = append(items, it)
		if !p.acceptOp(",") {
			return items, nil
		}
	}
}

// selectItem: *, name.*, or expr [[AS] alias].
func (p *parser) selectItem() (*ast.SelectItem, error) {
	it := &ast.SelectItem{Pos: p.pos()}
	if p.acceptOp("*") {
		it.Star = true
		return it, nil
	}
	if t := p.tok(); (t.kind == tokWord || t.kind == tokQuoted) && isOp(p.peekN(1), ".") && isOp(p.peekN(2), "*") {
		p.i += 3
		it.Star, it.StarQualifier = true, t.text
		return it, nil
	}
	e, err := p.expr()
	if err != nil {
		return nil, err
	}
	it.Expr = e
	if p.acceptKw("as") {
		if it.Alias, _, err = p.aliasName(); err != nil {
			return nil, err
		}
	} else if p.isIdent() || p.tok().kind == tokString {
		it.Alias, _, _ = p.aliasName()
	}
	return it, nil
}

// aliasName reads an alias: an identifier, or a string literal as some
// dialects allow ("AS 'total'").
func (p *parser) aliasName() (string, ast.Pos, error) {
	if t := p.tok(); t.kind == tokString {
		p.advance()
		return t.text, t.pos, nil
	}
	return p.ident("an alias")
}

// groupBy reads the GROUP BY elements.
func (p *parser) groupBy() ([]*ast.GroupItem, error) {
	if p.isKw("all") {
		return nil, p.notSupported("GROUP BY ALL")
	}
	return p.groupItems()
}

func (p *parser) groupItems() ([]*ast.GroupItem, error) {
	var items []*ast.GroupItem
	for {
		g, err := p.groupItem()
		if err != nil {
			return nil, err
		}
		items = append(items, g)
		if !p.acceptOp(",") {
			return items, nil
		}
	}
}

// groupItem: ROLLUP (...), CUBE (...), GROUPING SETS (...), a
// parenthesized list (possibly empty) or an expression.
func (p *parser) groupItem() (*ast.GroupItem, error) {
	g := &ast.GroupItem{Pos: p.pos()}
	switch {
	case p.isKw("rollup") && isOp(p.peekN(1), "("):
		g.Kind = ast.GroupRollup
		p.advance()
	case p.isKw("cube") && isOp(p.peekN(1), "("):
		g.Kind = ast.GroupCube
		p.advance()
	case p.isKwSeq("grouping", "sets"):
		g.Kind = ast.GroupSets
		p.i += 2
	case p.isOp("("):
		return p.groupParen()
	default:
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		g.Exprs = []ast.Expr{e}
		return g, nil
	}
	if err := p.expectOp("("); err != nil {
		return nil, err
	}
	items, err := p.groupItems()
	if err != nil {
		return nil, err
	}
	g.Items = items
	return g, p.expectOp(")")
}

// groupParen reads "(...)" in GROUP BY: an expression such as (a + b) * 2
// when it parses as one, else a list (a, b) or ().
func (p *parser) groupParen() (*ast.GroupItem, error) {
	g := &ast.GroupItem{Pos: p.pos(), Kind: ast.GroupList}
	if isOp(p.peekN(1), ")") {
		p.i += 2
		return g, nil
	}
	save := p.i
	if e, err := p.expr(); err == nil && (p.isOp(",") || p.isOp(")") || p.atEOF() || p.tok().kind == tokWord) {
		return &ast.GroupItem{Pos: g.Pos, Kind: ast.GroupExpr, Exprs: []ast.Expr{e}}, nil
	}
	p.i = save + 1
	list, err := p.exprList()
	if err != nil {
		return nil, err
	}
	g.Exprs = list
	return g, p.expectOp(")")
}

// windowClause: name AS (spec) {, name AS (spec)}.
func (p *parser) windowClause() ([]*ast.NamedWindow, error) {
	var out []*ast.NamedWindow
	for {
		w := &ast.NamedWindow{Pos: p.pos()}
		name, _, err := p.ident("a window name")
		if err != nil {
			return nil, err
		}
		w.Name = name
		if err := p.expectKw("as"); err != nil {
			return nil, err
		}
		if w.Spec, err = p.windowSpecParen(); err != nil {
			return nil, err
		}
		out = append(out, w)
		if !p.acceptOp(",") {
			return out, nil
		}
	}
}

func (p *parser) exprList() ([]ast.Expr, error) {
	var out []ast.Expr
	for {
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		out = append(out, e)
		if !p.acceptOp(",") {
			return out, nil
		}
	}
}
