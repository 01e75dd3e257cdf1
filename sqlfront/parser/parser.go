package parser

import (
	"fmt"
	"strings"

	"github.com/drover-etl/drover/sqlfront/ast"
)

// parser is a recursive-descent parser over the token list of one text.
type parser struct {
	src  string
	toks []token
	i    int
}

func newParser(src string) (*parser, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	return &parser{src: src, toks: toks}, nil
}

func (p *parser) tok() token          { return p.toks[p.i] }
func (p *parser) peekN(n int) token   { return p.toks[min(p.i+n, len(p.toks)-1)] }
func (p *parser) pos() ast.Pos        { return p.tok().pos }
func (p *parser) atEOF() bool         { return p.tok().kind == tokEOF }
func (p *parser) advance() token      { t := p.tok(); p.i = min(p.i+1, len(p.toks)-1); return t }
func (p *parser) isOp(op string) bool { return isOp(p.tok(), op) }

func isOp(t token, op string) bool { return t.kind == tokOp && t.text == op }

// isKw reports whether t is the unquoted word kw (lower-case).
func isKw(t token, kw string) bool { return t.kind == tokWord && strings.EqualFold(t.text, kw) }

func (p *parser) isKw(kw string) bool { return isKw(p.tok(), kw) }

// isKwSeq reports whether the next tokens are the words kws.
func (p *parser) isKwSeq(kws ...string) bool {
	for i, kw := range kws {
		if !isKw(p.peekN(i), kw) {
			return false
		}
	}
	return true
}

// acceptKw consumes the word kw when it comes next.
func (p *parser) acceptKw(kw string) bool {
	if p.isKw(kw) {
		p.advance()
		return true
	}
	return false
}

// acceptKws consumes the words kws when they all come next.
func (p *parser) acceptKws(kws ...string) bool {
	if p.isKwSeq(kws...) {
		p.i += len(kws)
		return true
	}
	return false
}

func (p *parser) acceptOp(op string) bool {
	if p.isOp(op) {
		p.advance()
		return true
	}
	return false
}

func (p *parser) expectKw(kw string) error {
	if p.acceptKw(kw) {
		return nil
	}
	return p.errExpected(strings.ToUpper(kw))
}

func (p *parser) expectOp(op string) error {
	if p.acceptOp(op) {
		return nil
	}
	return p.errExpected(fmt.Sprintf("%q", op))
}

// errHere is a syntax error at the current token.
func (p *parser) errHere(format string, args ...any) *Error {
	t := p.tok()
	e := &Error{Pos: t.pos, Msg: fmt.Sprintf(format, args...)}
	if t.kind == tokEOF {
		e.End = true
	} else {
		e.Near = nearText(p.src, t.pos.Offset)
	}
	return e
}

func (p *parser) errExpected(what string) *Error { return p.errHere("expected %s", what) }

// nearText is the source from offset to the end of its line, shortened:
// what the user sees around the error.
func nearText(src string, offset int) string {
	s := src[offset:]
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimRight(s, " \t\r")
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return s
}

// ident reads an identifier: an unreserved word or a quoted name.
func (p *parser) ident(what string) (string, ast.Pos, error) {
	t := p.tok()
	switch {
	case t.kind == tokQuoted:
		p.advance()
		return t.text, t.pos, nil
	case t.kind == tokWord && !ast.IsReserved(t.text):
		p.advance()
		return t.text, t.pos, nil
	}
	return "", t.pos, p.errExpected(what)
}

// isIdent reports whether the current token can start an identifier.
func (p *parser) isIdent() bool {
	t := p.tok()
	return t.kind == tokQuoted || t.kind == tokWord && !ast.IsReserved(t.text)
}

// identList reads "(a, b, ...)".
func (p *parser) identList(what string) ([]string, error) {
	if err := p.expectOp("("); err != nil {
		return nil, err
	}
	var out []string
	for {
		name, _, err := p.ident(what)
		if err != nil {
			return nil, err
		}
		out = append(out, name)
		if !p.acceptOp(",") {
			break
		}
	}
	return out, p.expectOp(")")
}

// notSupported is an error for syntax the parser recognises but the
// dialect leaves out.
func (p *parser) notSupported(what string) *Error {
	return p.errHere("%s is not supported", what)
}
