package parser

import (
	"github.com/drover-etl/drover/sqlfront/ast"
)

// fromList: table references separated by commas.
func (p *parser) fromList() ([]ast.TableRef, error) {
	var out []ast.TableRef
	for {
		t, err := p.tableRef()
		if err != nil {
			return nil, err
		}
		out = append(out, t)
		if !p.acceptOp(",") {
			return out, nil
		}
	}
}

// tableRef: a table primary followed by any number of joins, which
// associate to the left.
func (p *parser) tableRef() (ast.TableRef, error) {
	left, err := p.tablePrimary()
	if err != nil {
		return nil, err
	}
	for {
		j, ok, err := p.joinHead(left)
		if err != nil || !ok {
			return left, err
		}
		if j.Right, err = p.tablePrimary(); err != nil {
			return nil, err
		}
		if err := p.joinCondition(j); err != nil {
			return nil, err
		}
		left = j
	}
}

// joinHead reads the join keywords up to and including JOIN; ok is false
// when no join follows.
func (p *parser) joinHead(left ast.TableRef) (*ast.Join, bool, error) {
	j := &ast.Join{Pos: left.Position(), Left: left}
	start := p.i
	j.Natural = p.acceptKw("natural")
	switch {
	case p.acceptKw("cross"):
		if j.Natural {
			return nil, false, p.errHere("NATURAL CROSS JOIN is not a join")
		}
		j.Type = ast.CrossJoin
	case p.acceptKw("inner"):
		j.Type = ast.InnerJoin
	case p.acceptKw("left"):
		j.Type = ast.LeftJoin
		p.acceptKw("outer")
	case p.acceptKw("right"):
		j.Type = ast.RightJoin
		p.acceptKw("outer")
	case p.acceptKw("full"):
		j.Type = ast.FullJoin
		p.acceptKw("outer")
	case p.isKw("join"):
		j.Type = ast.InnerJoin
	default:
		if j.Natural {
			return nil, false, p.errExpected("JOIN")
		}
		return nil, false, nil
	}
	if p.isKw("semi") || p.isKw("anti") || p.isKw("asof") {
		return nil, false, p.notSupported(describe(p.tok()) + " JOIN")
	}
	if err := p.expectKw("join"); err != nil {
		p.i = start
		return nil, false, err
	}
	return j, true, nil
}

// joinCondition reads ON or USING where the join type needs one.
func (p *parser) joinCondition(j *ast.Join) error {
	if j.Type == ast.CrossJoin || j.Natural {
		if p.isKw("on") || p.isKw("using") {
			return p.errHere("%s takes no condition", map[bool]string{true: "NATURAL JOIN", false: "CROSS JOIN"}[j.Natural])
		}
		return nil
	}
	switch {
	case p.acceptKw("on"):
		on, err := p.expr()
		j.On = on
		return err
	case p.acceptKw("using"):
		cols, err := p.identList("a column name")
		j.Using = cols
		return err
	}
	return p.errExpected("ON or USING after the joined table")
}

// tablePrimary: [schema.]name [alias], [LATERAL] (query) [alias], or a
// parenthesized join.
func (p *parser) tablePrimary() (ast.TableRef, error) {
	pos := p.pos()
	lateral := p.acceptKw("lateral")
	if p.isOp("(") {
		if lateral {
			return p.derived(pos, lateral)
		}
		if p.parenStartsQuery() {
			save := p.i
			d, err := p.derived(pos, lateral)
			if err == nil || isKw(p.toks[save+1], "select") || isKw(p.toks[save+1], "with") {
				return d, err
			}
			p.i = save // "((SELECT ...) t JOIN u ON ...)": a parenthesized join
		}
		p.advance()
		t, err := p.tableRef()
		if err != nil {
			return nil, err
		}
		if err := p.expectOp(")"); err != nil {
			return nil, err
		}
		if p.isKw("as") || p.isIdent() {
			return nil, p.notSupported("an alias for a parenthesized join")
		}
		return t, nil
	}
	t := &ast.Table{Pos: pos}
	name, _, err := p.ident("a table name")
	if err != nil {
		return nil, err
	}
	t.Name = name
	if p.acceptOp(".") {
		if t.Name, _, err = p.ident("a table name"); err != nil {
			return nil, err
		}
		t.Schema = name
		if p.isOp(".") {
			return nil, p.notSupported("a three-part table name")
		}
	}
	if p.isOp("(") {
		return nil, p.notSupported("a table function")
	}
	t.Alias, err = p.tableAlias()
	return t, err
}

func (p *parser) derived(pos ast.Pos, lateral bool) (ast.TableRef, error) {
	d := &ast.Derived{Pos: pos, Lateral: lateral}
	if err := p.expectOp("("); err != nil {
		return nil, err
	}
	q, err := p.query()
	if err != nil {
		return nil, err
	}
	d.Query = q
	if err := p.expectOp(")"); err != nil {
		return nil, err
	}
	d.Alias, err = p.tableAlias()
	return d, err
}

// tableAlias reads [AS] name [(columns)]; nil when none follows.
func (p *parser) tableAlias() (*ast.Alias, error) {
	if !p.isKw("as") && !p.isIdent() {
		return nil, nil
	}
	a := &ast.Alias{Pos: p.pos()}
	p.acceptKw("as")
	name, _, err := p.ident("an alias")
	if err != nil {
		return nil, err
	}
	a.Name = name
	if p.isOp("(") {
		if a.Columns, err = p.identList("a column name"); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// parenStartsQuery reports whether the '(' at the current token opens a
// query: SELECT, WITH or VALUES after any number of '('.
func (p *parser) parenStartsQuery() bool {
	for k := 0; ; k++ {
		t := p.peekN(k)
		switch {
		case isOp(t, "("):
			continue
		case isKw(t, "select"), isKw(t, "with"), isKw(t, "values"):
			return k > 0
		}
		return false
	}
}
