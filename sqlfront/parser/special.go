package parser

import (
	"strconv"
	"strings"

	"github.com/drover-etl/drover/sqlfront/ast"
)

// cast: CAST(x AS type) or TRY_CAST(x AS type).
func (p *parser) cast() (ast.Expr, error) {
	t := p.advance()
	c := &ast.Cast{Pos: t.pos, Try: strings.EqualFold(t.text, "try_cast")}
	p.advance() // "("
	var err error
	if c.X, err = p.expr(); err != nil {
		return nil, err
	}
	if err := p.expectKw("as"); err != nil {
		return nil, err
	}
	if c.Type, err = p.typeName(); err != nil {
		return nil, err
	}
	return c, p.expectOp(")")
}

// typeWords are the second words of two-word type names.
var typeWords = map[string]string{"double": "precision", "character": "varying"}

// typeName reads a type: one or two words, then optional (n[, m]).
func (p *parser) typeName() (*ast.TypeName, error) {
	t := p.tok()
	if t.kind != tokWord {
		return nil, p.errExpected("a type name")
	}
	p.advance()
	tn := &ast.TypeName{Pos: t.pos, Name: strings.ToUpper(t.text)}
	if second, ok := typeWords[strings.ToLower(t.text)]; ok && p.acceptKw(second) {
		tn.Name += " " + strings.ToUpper(second)
	}
	if p.isKwSeq("with", "time", "zone") || p.isKwSeq("without", "time", "zone") {
		return nil, p.notSupported("TIME ZONE in a type")
	}
	if !p.acceptOp("(") {
		return tn, nil
	}
	for {
		n := p.tok()
		v, err := strconv.Atoi(n.text)
		if n.kind != tokNumber || err != nil {
			return nil, p.errExpected("a whole number in the type's parentheses")
		}
		p.advance()
		tn.Args = append(tn.Args, v)
		if !p.acceptOp(",") {
			break
		}
	}
	return tn, p.expectOp(")")
}

// extract: EXTRACT(field FROM x); the field may be a word or a string.
func (p *parser) extract() (ast.Expr, error) {
	e := &ast.Extract{Pos: p.advance().pos}
	p.advance() // "("
	f := p.tok()
	if f.kind != tokWord && f.kind != tokString {
		return nil, p.errExpected("a field such as YEAR")
	}
	p.advance()
	e.Field = strings.ToUpper(f.text)
	if err := p.expectKw("from"); err != nil {
		return nil, err
	}
	var err error
	if e.X, err = p.expr(); err != nil {
		return nil, err
	}
	return e, p.expectOp(")")
}

// substring: SUBSTRING(x FROM a [FOR b]), SUBSTRING(x FOR b) or the
// call form substring(x, a[, b]); all become substring(x, a[, b]).
func (p *parser) substring() (ast.Expr, error) {
	f := &ast.FuncCall{Pos: p.advance().pos, Name: "substring"}
	p.advance() // "("
	x, err := p.expr()
	if err != nil {
		return nil, err
	}
	f.Args = []ast.Expr{x}
	switch {
	case p.acceptOp(","):
		rest, err := p.exprList()
		if err != nil {
			return nil, err
		}
		f.Args = append(f.Args, rest...)
	case p.isKw("from") || p.isKw("for"):
		from := ast.Expr(&ast.Literal{Pos: p.pos(), Kind: ast.LitInt, Text: "1"})
		if p.acceptKw("from") {
			if from, err = p.expr(); err != nil {
				return nil, err
			}
		}
		f.Args = append(f.Args, from)
		if p.acceptKw("for") {
			n, err := p.expr()
			if err != nil {
				return nil, err
			}
			f.Args = append(f.Args, n)
		}
	}
	return f, p.expectOp(")")
}

// trim: TRIM([LEADING|TRAILING|BOTH] [chars] FROM x), TRIM(x) or
// trim(x, chars).
func (p *parser) trim() (ast.Expr, error) {
	t := &ast.Trim{Pos: p.advance().pos}
	p.advance() // "("
	for _, w := range []string{"leading", "trailing", "both"} {
		if p.acceptKw(w) {
			t.Where = strings.ToUpper(w)
		}
	}
	var err error
	if t.Where != "" && p.acceptKw("from") {
		t.X, err = p.expr()
		if err != nil {
			return nil, err
		}
		return t, p.expectOp(")")
	}
	first, err := p.expr()
	if err != nil {
		return nil, err
	}
	switch {
	case p.acceptKw("from"):
		t.Chars = first
		t.X, err = p.expr()
	case t.Where == "" && p.acceptOp(","):
		t.X = first
		t.Chars, err = p.expr()
	case t.Where != "":
		return nil, p.errExpected("FROM")
	default:
		t.X = first
	}
	if err != nil {
		return nil, err
	}
	return t, p.expectOp(")")
}

// position: POSITION(a IN b) becomes position(a, b); position(a, b) is
// an ordinary call.
func (p *parser) position() (ast.Expr, error) {
	f := &ast.FuncCall{Pos: p.advance().pos, Name: "position"}
	p.advance() // "("
	a, err := p.binary(1)
	if err != nil {
		return nil, err
	}
	if !p.acceptKw("in") && !p.acceptOp(",") {
		return nil, p.errExpected("IN")
	}
	b, err := p.expr()
	if err != nil {
		return nil, err
	}
	f.Args = []ast.Expr{a, b}
	return f, p.expectOp(")")
}

// exists: EXISTS (query).
func (p *parser) exists() (ast.Expr, error) {
	e := &ast.Exists{Pos: p.advance().pos}
	p.advance() // "("
	q, err := p.query()
	if err != nil {
		return nil, err
	}
	e.Query = q
	return e, p.expectOp(")")
}

// intervalUnits maps unit words (singular and plural) to the unit.
var intervalUnits = map[string]string{}

func init() {
	for _, u := range []string{"year", "quarter", "month", "week", "day", "hour", "minute", "second", "millisecond", "microsecond"} {
		intervalUnits[u] = strings.ToUpper(u)
		intervalUnits[u+"s"] = strings.ToUpper(u)
	}
}

// interval: INTERVAL value [unit [TO unit]]. Without a unit the value
// must be a string such as '1 day'.
func (p *parser) interval() (ast.Expr, error) {
	iv := &ast.Interval{Pos: p.advance().pos}
	var err error
	switch t := p.tok(); {
	case t.kind == tokString || t.kind == tokNumber:
		p.advance()
		iv.Value = p.literalOf(t)
	case p.isOp("-") && p.peekN(1).kind == tokNumber:
		p.advance()
		n := p.advance()
		iv.Value = &ast.Unary{Pos: t.pos, Op: ast.OpNeg, X: numberLiteral(n)}
	case p.isOp("("):
		if iv.Value, err = p.paren(); err != nil {
			return nil, err
		}
	default:
		return nil, p.errExpected("the interval's value, such as '3' or 3")
	}
	unit, ok := intervalUnits[strings.ToLower(p.tok().text)]
	if !ok || p.tok().kind != tokWord {
		if lit, isLit := iv.Value.(*ast.Literal); isLit && lit.Kind == ast.LitString {
			return iv, nil
		}
		return nil, p.errExpected("an interval unit such as DAY or MONTH")
	}
	p.advance()
	iv.Unit = unit
	if p.isKw("to") {
		p.advance()
		to, ok := intervalUnits[strings.ToLower(p.tok().text)]
		if !ok {
			return nil, p.errExpected("an interval unit after TO")
		}
		p.advance()
		iv.ToUnit = to
	}
	return iv, nil
}

func (p *parser) literalOf(t token) ast.Expr {
	if t.kind == tokNumber {
		return numberLiteral(t)
	}
	return &ast.Literal{Pos: t.pos, Kind: ast.LitString, Text: t.text}
}
