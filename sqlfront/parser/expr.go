package parser

import (
	"strings"

	"github.com/drover-etl/drover/sqlfront/ast"
)

// Expression grammar, loosest first:
//
//	OR
//	AND
//	NOT
//	comparisons, IS, BETWEEN, IN, LIKE   (predicate)
//	||                                   (binaryOps, precedence climbing)
//	+ -
//	* / %
//	unary - +
//	::type
//	primary
func (p *parser) expr() (ast.Expr, error) { return p.or() }

func (p *parser) or() (ast.Expr, error) {
	l, err := p.and()
	for err == nil && p.isKw("or") {
		p.advance()
		var r ast.Expr
		if r, err = p.and(); err == nil {
			l = &ast.Binary{Pos: l.Position(), Op: ast.OpOr, L: l, R: r}
		}
	}
	return l, err
}

func (p *parser) and() (ast.Expr, error) {
	l, err := p.not()
	for err == nil && p.isKw("and") {
		p.advance()
		var r ast.Expr
		if r, err = p.not(); err == nil {
			l = &ast.Binary{Pos: l.Position(), Op: ast.OpAnd, L: l, R: r}
		}
	}
	return l, err
}

func (p *parser) not() (ast.Expr, error) {
	if p.isKw("not") {
		pos := p.advance().pos
		x, err := p.not()
		if err != nil {
			return nil, err
		}
		return &ast.Unary{Pos: pos, Op: ast.OpNot, X: x}, nil
	}
	return p.predicate()
}

var comparisons = map[string]ast.BinaryOp{
	"=": ast.OpEq, "<>": ast.OpNe, "!=": ast.OpNe, "<": ast.OpLt,
	"<=": ast.OpLe, ">": ast.OpGt, ">=": ast.OpGe,
}

// predicate: an operand followed by any number of comparisons and
// IS / BETWEEN / IN / LIKE tests.
func (p *parser) predicate() (ast.Expr, error) {
	l, err := p.binary(1)
	if err != nil {
		return nil, err
	}
	for {
		t := p.tok()
		if op, ok := comparisons[t.text]; ok && t.kind == tokOp {
			p.advance()
			if l, err = p.comparison(l, op); err != nil {
				return nil, err
			}
			continue
		}
		if p.isKw("is") {
			if l, err = p.isTest(l); err != nil {
				return nil, err
			}
			continue
		}
		not := p.isKw("not") && (isKw(p.peekN(1), "between") || isKw(p.peekN(1), "in") ||
			isKw(p.peekN(1), "like") || isKw(p.peekN(1), "ilike"))
		if not {
			p.advance()
		}
		var next ast.Expr
		switch {
		case p.isKw("between"):
			next, err = p.between(l, not)
		case p.isKw("in"):
			next, err = p.in(l, not)
		case p.isKw("like"), p.isKw("ilike"):
			next, err = p.like(l, not)
		default:
			return l, nil
		}
		if err != nil {
			return nil, err
		}
		l = next
	}
}

// comparison reads the right side of l op: an operand or ANY/ALL/SOME
// (query).
func (p *parser) comparison(l ast.Expr, op ast.BinaryOp) (ast.Expr, error) {
	if (p.isKw("any") || p.isKw("some") || p.isKw("all")) && isOp(p.peekN(1), "(") {
		all := p.advance().text
		p.advance()
		q, err := p.query()
		if err != nil {
			return nil, err
		}
		return &ast.Quantified{Pos: l.Position(), L: l, Op: op, All: strings.EqualFold(all, "all"), Query: q}, p.expectOp(")")
	}
	r, err := p.binary(1)
	if err != nil {
		return nil, err
	}
	return &ast.Binary{Pos: l.Position(), Op: op, L: l, R: r}, nil
}

// isTest reads IS [NOT] NULL | TRUE | FALSE | DISTINCT FROM x.
func (p *parser) isTest(l ast.Expr) (ast.Expr, error) {
	p.advance()
	not := p.acceptKw("not")
	switch {
	case p.acceptKw("null"):
		return &ast.IsNull{Pos: l.Position(), X: l, Not: not}, nil
	case p.acceptKw("true"):
		return &ast.IsBool{Pos: l.Position(), X: l, Not: not, Value: true}, nil
	case p.acceptKw("false"):
		return &ast.IsBool{Pos: l.Position(), X: l, Not: not, Value: false}, nil
	case p.acceptKws("distinct", "from"):
		r, err := p.binary(1)
		if err != nil {
			return nil, err
		}
		return &ast.IsDistinct{Pos: l.Position(), L: l, R: r, Not: not}, nil
	}
	return nil, p.errExpected("NULL, TRUE, FALSE or DISTINCT FROM after IS")
}

func (p *parser) between(x ast.Expr, not bool) (ast.Expr, error) {
	p.advance()
	p.acceptKw("symmetric")
	lo, err := p.binary(1)
	if err != nil {
		return nil, err
	}
	if err := p.expectKw("and"); err != nil {
		return nil, err
	}
	hi, err := p.binary(1)
	if err != nil {
		return nil, err
	}
	return &ast.Between{Pos: x.Position(), X: x, Lo: lo, Hi: hi, Not: not}, nil
}

func (p *parser) in(x ast.Expr, not bool) (ast.Expr, error) {
	p.advance()
	if err := p.expectOp("("); err != nil {
		return nil, err
	}
	if p.isKw("select") || p.isKw("with") || p.isKw("values") {
		q, err := p.query()
		if err != nil {
			return nil, err
		}
		return &ast.InSubquery{Pos: x.Position(), X: x, Query: q, Not: not}, p.expectOp(")")
	}
	if p.parenStartsQuery() {
		// "IN ((SELECT ...) UNION ...)" or "IN ((SELECT 1), 2)": try the
		// query first.
		save := p.i
		if q, err := p.query(); err == nil && p.acceptOp(")") {
			return &ast.InSubquery{Pos: x.Position(), X: x, Query: q, Not: not}, nil
		}
		p.i = save
	}
	list, err := p.exprList()
	if err != nil {
		return nil, err
	}
	return &ast.InList{Pos: x.Position(), X: x, List: list, Not: not}, p.expectOp(")")
}

func (p *parser) like(x ast.Expr, not bool) (ast.Expr, error) {
	l := &ast.Like{Pos: x.Position(), X: x, Not: not, ILike: isKw(p.advance(), "ilike")}
	var err error
	if l.Pattern, err = p.binary(1); err != nil {
		return nil, err
	}
	if p.acceptKw("escape") {
		if l.Escape, err = p.binary(1); err != nil {
			return nil, err
		}
	}
	return l, nil
}

// binaryOps are the arithmetic and string operators with their binding
// strength: higher binds tighter.
var binaryOps = map[string]struct {
	op   ast.BinaryOp
	prec int
}{
	"||": {ast.OpConcat, 1},
	"+":  {ast.OpAdd, 2}, "-": {ast.OpSub, 2},
	"*": {ast.OpMul, 3}, "/": {ast.OpDiv, 3}, "%": {ast.OpMod, 3},
}

// binary parses operators of binding strength minPrec and above by
// precedence climbing; all of them associate to the left.
func (p *parser) binary(minPrec int) (ast.Expr, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for {
		t := p.tok()
		b, ok := binaryOps[t.text]
		if !ok || t.kind != tokOp || b.prec < minPrec {
			return l, nil
		}
		p.advance()
		r, err := p.binary(b.prec + 1)
		if err != nil {
			return nil, err
		}
		l = &ast.Binary{Pos: l.Position(), Op: b.op, L: l, R: r}
	}
}

func (p *parser) unary() (ast.Expr, error) {
	if p.isOp("-") || p.isOp("+") {
		t := p.advance()
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		op := ast.OpNeg
		if t.text == "+" {
			op = ast.OpPlus
		}
		return &ast.Unary{Pos: t.pos, Op: op, X: x}, nil
	}
	return p.postfix()
}

// postfix: a primary followed by any number of ::type casts.
func (p *parser) postfix() (ast.Expr, error) {
	x, err := p.primary()
	if err != nil {
		return nil, err
	}
	for p.isOp("::") {
		p.advance()
		t, err := p.typeName()
		if err != nil {
			return nil, err
		}
		x = &ast.Cast{Pos: x.Position(), X: x, Type: t}
	}
	if p.isOp("[") {
		return nil, p.notSupported("subscripts [...]")
	}
	return x, nil
}
