package parser

import (
	"strings"

	"github.com/drover-etl/drover/sqlfront/ast"
)

// call reads the argument list of f and what may follow it: IGNORE |
// RESPECT NULLS, FILTER (WHERE ...) and OVER.
func (p *parser) call(f *ast.FuncCall) (ast.Expr, error) {
	p.advance() // "("
	if p.acceptKw("distinct") {
		f.Distinct = true
	} else {
		p.acceptKw("all")
	}
	switch {
	case p.isOp("*"):
		p.advance()
		f.Star = true
	case !p.isOp(")"):
		args, err := p.exprList()
		if err != nil {
			return nil, err
		}
		f.Args = args
	}
	if p.isKwSeq("order", "by") {
		return nil, p.notSupported("ORDER BY inside a function call")
	}
	p.nullTreatment(f)
	if err := p.expectOp(")"); err != nil {
		return nil, err
	}
	p.nullTreatment(f)
	if p.acceptKws("within", "group") {
		if err := p.expectOp("("); err != nil {
			return nil, err
		}
		if err := p.expectKw("order"); err != nil {
			return nil, err
		}
		if err := p.expectKw("by"); err != nil {
			return nil, err
		}
		items, err := p.orderItems()
		if err != nil {
			return nil, err
		}
		f.WithinGroup = items
		if err := p.expectOp(")"); err != nil {
			return nil, err
		}
	}
	if p.acceptKw("filter") {
		if err := p.expectOp("("); err != nil {
			return nil, err
		}
		if err := p.expectKw("where"); err != nil {
			return nil, err
		}
		cond, err := p.expr()
		if err != nil {
			return nil, err
		}
		f.Filter = cond
		if err := p.expectOp(")"); err != nil {
			return nil, err
		}
	}
	if p.acceptKw("over") {
		w, err := p.over()
		if err != nil {
			return nil, err
		}
		f.Over = w
	}
	return f, nil
}

func (p *parser) nullTreatment(f *ast.FuncCall) {
	switch {
	case p.acceptKws("ignore", "nulls"):
		f.Nulls = ast.IgnoreNulls
	case p.acceptKws("respect", "nulls"):
		f.Nulls = ast.RespectNulls
	}
}

// over reads what follows OVER: a window name or (spec).
func (p *parser) over() (*ast.WindowSpec, error) {
	if p.isOp("(") {
		return p.windowSpecParen()
	}
	pos := p.pos()
	name, _, err := p.ident("a window name or (")
	if err != nil {
		return nil, err
	}
	return &ast.WindowSpec{Pos: pos, Name: name}, nil
}

// windowSpecParen: ([name] [PARTITION BY ...] [ORDER BY ...] [frame]).
func (p *parser) windowSpecParen() (*ast.WindowSpec, error) {
	w := &ast.WindowSpec{Pos: p.pos()}
	if err := p.expectOp("("); err != nil {
		return nil, err
	}
	if p.isIdent() && !p.isKw("partition") && !p.isKw("rows") && !p.isKw("range") && !p.isKw("groups") {
		w.Name, _, _ = p.ident("a window name")
	}
	var err error
	if p.acceptKws("partition", "by") {
		if w.PartitionBy, err = p.exprList(); err != nil {
			return nil, err
		}
	}
	if p.acceptKws("order", "by") {
		if w.OrderBy, err = p.orderItems(); err != nil {
			return nil, err
		}
	}
	if p.isKw("rows") || p.isKw("range") || p.isKw("groups") {
		if w.Frame, err = p.frame(); err != nil {
			return nil, err
		}
	}
	return w, p.expectOp(")")
}

// frame: unit BETWEEN bound AND bound | unit bound, then [EXCLUDE ...].
func (p *parser) frame() (*ast.Frame, error) {
	t := p.advance()
	f := &ast.Frame{Pos: t.pos, Unit: ast.FrameUnit(strings.ToUpper(t.text))}
	var err error
	if p.acceptKw("between") {
		if f.Start, err = p.frameBound(); err != nil {
			return nil, err
		}
		if err := p.expectKw("and"); err != nil {
			return nil, err
		}
		if f.End, err = p.frameBound(); err != nil {
			return nil, err
		}
	} else if f.Start, err = p.frameBound(); err != nil {
		return nil, err
	}
	if p.acceptKw("exclude") {
		switch {
		case p.acceptKws("current", "row"):
			f.Exclude = "CURRENT ROW"
		case p.acceptKw("group"):
			f.Exclude = "GROUP"
		case p.acceptKw("ties"):
			f.Exclude = "TIES"
		case p.acceptKws("no", "others"):
			f.Exclude = "NO OTHERS"
		default:
			return nil, p.errExpected("CURRENT ROW, GROUP, TIES or NO OTHERS")
		}
	}
	return f, nil
}

func (p *parser) frameBound() (*ast.FrameBound, error) {
	b := &ast.FrameBound{Pos: p.pos()}
	switch {
	case p.acceptKws("unbounded", "preceding"):
		b.Kind = ast.UnboundedPreceding
	case p.acceptKws("unbounded", "following"):
		b.Kind = ast.UnboundedFollowing
	case p.acceptKws("current", "row"):
		b.Kind = ast.CurrentRow
	default:
		off, err := p.binary(1)
		if err != nil {
			return nil, err
		}
		b.Offset = off
		switch {
		case p.acceptKw("preceding"):
			b.Kind = ast.Preceding
		case p.acceptKw("following"):
			b.Kind = ast.Following
		default:
			return nil, p.errExpected("PRECEDING or FOLLOWING")
		}
	}
	return b, nil
}
