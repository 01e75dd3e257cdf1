package parser

import (
	"strings"

	"github.com/drover-etl/drover/sqlfront/ast"
)

// funcKeywords are reserved words that still name functions when a
// parenthesis follows: left(s, n), right(s, n).
var funcKeywords = map[string]bool{"left": true, "right": true}

// specialForms parse the calls with their own syntax; each starts at the
// name, with "(" next.
var specialForms map[string]func(p *parser) (ast.Expr, error)

func init() {
	specialForms = map[string]func(p *parser) (ast.Expr, error){
		"cast": (*parser).cast, "try_cast": (*parser).cast,
		"extract": (*parser).extract, "substring": (*parser).substring,
		"trim": (*parser).trim, "position": (*parser).position,
		"exists": (*parser).exists,
	}
}

func (p *parser) primary() (ast.Expr, error) {
	t := p.tok()
	switch t.kind {
	case tokNumber:
		p.advance()
		return numberLiteral(t), nil
	case tokString:
		p.advance()
		return &ast.Literal{Pos: t.pos, Kind: ast.LitString, Text: t.text}, nil
	case tokQuoted:
		return p.nameExpr()
	case tokOp:
		if t.text == "(" {
			return p.paren()
		}
	case tokWord:
		return p.word()
	case tokEOF:
		return nil, p.errExpected("an expression")
	}
	return nil, p.errExpected("an expression")
}

func numberLiteral(t token) *ast.Literal {
	kind := ast.LitInt
	switch {
	case strings.ContainsAny(t.text, "eE"):
		kind = ast.LitFloat
	case strings.Contains(t.text, "."):
		kind = ast.LitDecimal
	}
	return &ast.Literal{Pos: t.pos, Kind: kind, Text: t.text}
}

// word handles a primary starting with an unquoted word: a keyword
// literal or form, a function call or a column.
func (p *parser) word() (ast.Expr, error) {
	t := p.tok()
	low := strings.ToLower(t.text)
	next := p.peekN(1)
	switch low {
	case "null":
		p.advance()
		return &ast.Literal{Pos: t.pos, Kind: ast.LitNull}, nil
	case "true", "false":
		p.advance()
		return &ast.Literal{Pos: t.pos, Kind: ast.LitBool, Text: low}, nil
	case "date", "timestamp", "time":
		if next.kind == tokString {
			p.i += 2
			return &ast.TypedLiteral{Pos: t.pos, Type: strings.ToUpper(low), Value: next.text}, nil
		}
	case "interval":
		return p.interval()
	case "case":
		return p.caseExpr()
	case "current_date", "current_timestamp", "localtimestamp":
		// Standard SQL's niladic functions take no parentheses; like
		// PostgreSQL and DuckDB, the bare word is the function, never a column
		// (a column of that name must be quoted).
		if !isOp(next, "(") {
			p.advance()
			return &ast.FuncCall{Pos: t.pos, Name: low}, nil
		}
	}
	if form, ok := specialForms[low]; ok && isOp(next, "(") {
		return form(p)
	}
	if ast.IsReserved(low) && !(funcKeywords[low] && isOp(next, "(")) {
		return nil, p.errExpected("an expression")
	}
	return p.nameExpr()
}

// nameExpr reads a dotted name: a column (a, t.a, s.t.a) or, with "("
// after it, a function call (f(...), schema.f(...)).
func (p *parser) nameExpr() (ast.Expr, error) {
	pos := p.pos()
	parts := []string{p.advance().text}
	for p.isOp(".") && (p.peekN(1).kind == tokWord || p.peekN(1).kind == tokQuoted) {
		p.advance()
		parts = append(parts, p.advance().text)
	}
	if p.isOp(".") && isOp(p.peekN(1), "*") {
		return nil, p.errHere("%s.* is only allowed as a select item", strings.Join(parts, "."))
	}
	if p.isOp("(") {
		if len(parts) > 2 {
			return nil, p.errHere("function name %s has too many parts", strings.Join(parts, "."))
		}
		f := &ast.FuncCall{Pos: pos, Name: strings.ToLower(parts[len(parts)-1])}
		if len(parts) == 2 {
			f.Schema = strings.ToLower(parts[0])
		}
		return p.call(f)
	}
	c := &ast.ColumnRef{Pos: pos, Name: parts[len(parts)-1]}
	switch len(parts) {
	case 1:
	case 2:
		c.Table = parts[0]
	case 3:
		c.Schema, c.Table = parts[0], parts[1]
	default:
		return nil, &Error{Pos: pos, Near: nearText(p.src, pos.Offset), Msg: "a column name has at most three parts"}
	}
	return c, nil
}

// paren reads "(" expression ")" or a scalar subquery "(query)".
func (p *parser) paren() (ast.Expr, error) {
	pos := p.pos()
	if isKw(p.peekN(1), "select") || isKw(p.peekN(1), "with") || isKw(p.peekN(1), "values") || p.parenStartsQuery() {
		save := p.i
		p.advance()
		q, err := p.query()
		if err == nil && p.acceptOp(")") {
			return &ast.Subquery{Pos: pos, Query: q}, nil
		}
		if isKw(p.toks[save+1], "select") || isKw(p.toks[save+1], "with") {
			if err == nil {
				err = p.errExpected(`")" after the subquery`)
			}
			return nil, err
		}
		p.i = save // "((SELECT 1) + 1)": an expression after all
	}
	p.advance()
	e, err := p.expr()
	if err != nil {
		return nil, err
	}
	if p.isOp(",") {
		return nil, p.notSupported("a row value (a, b, ...)")
	}
	return e, p.expectOp(")")
}

func (p *parser) caseExpr() (ast.Expr, error) {
	c := &ast.Case{Pos: p.advance().pos}
	var err error
	if !p.isKw("when") {
		if c.Operand, err = p.expr(); err != nil {
			return nil, err
		}
	}
	for p.isKw("when") {
		w := &ast.When{Pos: p.advance().pos}
		if w.Cond, err = p.expr(); err != nil {
			return nil, err
		}
		if err := p.expectKw("then"); err != nil {
			return nil, err
		}
		if w.Result, err = p.expr(); err != nil {
			return nil, err
		}
		c.Whens = append(c.Whens, w)
	}
	if len(c.Whens) == 0 {
		return nil, p.errExpected("WHEN")
	}
	if p.acceptKw("else") {
		if c.Else, err = p.expr(); err != nil {
			return nil, err
		}
	}
	return c, p.expectKw("end")
}
