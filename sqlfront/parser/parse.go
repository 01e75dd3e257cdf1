package parser

import (
	"errors"
	"strings"

	"github.com/drover-etl/drover/sqlfront/ast"
)

// ErrNotQuery is returned (wrapped in an *Error) for a statement other
// than a query, such as INSERT or DELETE.
var ErrNotQuery = errors.New("not a query")

// notQueryError wraps ErrNotQuery with the statement's position.
type notQueryError struct{ err *Error }

func (e *notQueryError) Error() string   { return e.err.Error() }
func (e *notQueryError) Unwrap() []error { return []error{e.err, ErrNotQuery} }

// statementWords start statements that are not queries.
var statementWords = map[string]bool{
	"insert": true, "update": true, "delete": true, "merge": true, "create": true,
	"drop": true, "alter": true, "truncate": true, "copy": true, "set": true,
	"show": true, "explain": true, "describe": true, "use": true, "grant": true,
}

// ParseQuery parses one query (SELECT, VALUES, set operations, WITH),
// optionally followed by a semicolon.
func ParseQuery(sql string) (*ast.Query, error) {
	p, err := newParser(sql)
	if err != nil {
		return nil, err
	}
	if t := p.tok(); t.kind == tokWord && statementWords[strings.ToLower(t.text)] {
		e := p.errHere("%s statements are not supported; expected a query", strings.ToUpper(t.text))
		return nil, &notQueryError{err: e}
	}
	q, err := p.query()
	if err != nil {
		return nil, err
	}
	p.acceptOp(";")
	if !p.atEOF() {
		if p.tok().kind == tokWord || p.isOp("(") {
			return nil, p.errHere("unexpected %s after the query", describe(p.tok()))
		}
		return nil, p.errHere("")
	}
	return q, nil
}

// ParseExpr parses text that must be exactly one expression, such as the
// where attribute of a structured view. Error positions are columns of
// the text (which is one line).
func ParseExpr(text string) (ast.Expr, error) {
	var e ast.Expr
	err := parseFragment(text, func(p *parser) (err error) {
		e, err = p.expr()
		return err
	})
	return e, err
}

// ParseSelectItem parses one select-list item: expr [[AS] alias], * or
// t.*.
func ParseSelectItem(text string) (*ast.SelectItem, error) {
	var it *ast.SelectItem
	err := parseFragment(text, func(p *parser) (err error) {
		it, err = p.selectItem()
		return err
	})
	return it, err
}

// ParseOrderItem parses one ORDER BY item: expr [ASC|DESC] [NULLS
// FIRST|LAST].
func ParseOrderItem(text string) (*ast.OrderItem, error) {
	var it *ast.OrderItem
	err := parseFragment(text, func(p *parser) (err error) {
		it, err = p.orderItem()
		return err
	})
	return it, err
}

// parseFragment runs fn over text and requires it to use all of it.
func parseFragment(text string, fn func(*parser) error) error {
	p, err := newParser(text)
	if err == nil {
		err = fn(p)
		if err == nil && !p.atEOF() {
			err = p.errHere("expected a single expression, found more after it")
		}
	}
	var pe *Error
	if errors.As(err, &pe) {
		pe.ColumnOnly = true
	}
	return err
}

// describe names a token for messages.
func describe(t token) string {
	switch t.kind {
	case tokEOF:
		return "end of input"
	case tokWord:
		return strings.ToUpper(t.text)
	}
	return "\"" + t.text + "\""
}
