package sqlfront

import (
	"errors"
	"strconv"
	"strings"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/sqlfront/ast"
	"github.com/drover-etl/drover/sqlfront/parser"
)

// parseQuery parses one SQL query; other statements are not supported.
func parseQuery(sql string) (*ast.Query, error) {
	q, err := parser.ParseQuery(sql)
	if errors.Is(err, parser.ErrNotQuery) {
		word, _, _ := strings.Cut(strings.TrimSpace(sql), " ")
		return nil, unsupported("%s statements are not supported; a view is one SELECT query", strings.ToUpper(word))
	}
	return q, err
}

// ParseExpr parses a standalone SQL expression such as a where or having
// string. The result is unbound; aggregate calls in it (allowed in having)
// are marked so Query.Plan can compute them.
func ParseExpr(s string) (*expr.Expr, error) {
	it, err := parser.ParseSelectItem(s)
	if err != nil {
		return nil, err
	}
	if it.Star || it.Alias != "" {
		return nil, parseErr("expected an expression without alias, got %q", s)
	}
	if err := checkSupported(it.Expr); err != nil {
		return nil, err
	}
	return (*conv)(nil).convert(it.Expr)
}

// Item is one entry of a select, group_by or aggregate list: an
// expression with an optional alias, or a star ("*" or "t.*").
type Item struct {
	Expr  *expr.Expr
	Alias string
	// Star is set for "*" and "t.*" (StarQualifier "t"); Expr is nil then.
	Star          bool
	StarQualifier string
}

// ParseItem parses "expr [AS alias]", "*" or "t.*".
func ParseItem(s string) (Item, error) {
	it, err := parser.ParseSelectItem(s)
	if err != nil {
		return Item{}, err
	}
	if err := checkSupported(it); err != nil {
		return Item{}, err
	}
	return (*conv)(nil).convertItem(it)
}

func (c *conv) convertItem(it *ast.SelectItem) (Item, error) {
	if it.Star {
		return Item{Star: true, StarQualifier: it.StarQualifier}, nil
	}
	e, err := c.convert(it.Expr)
	if err != nil {
		return Item{}, err
	}
	return Item{Expr: e, Alias: it.Alias}, nil
}

// OrderItem is one ORDER BY key. Ordinal (1-based) refers to an output
// column instead of Expr. NullsFirst applies when NullsSet; otherwise
// NULLs sort as logical.DefaultNullsFirst says.
type OrderItem struct {
	Expr       *expr.Expr
	Ordinal    int
	Desc       bool
	NullsFirst bool
	NullsSet   bool
}

// ParseOrderItem parses "expr [ASC|DESC] [NULLS FIRST|LAST]" or an ordinal.
func ParseOrderItem(s string) (OrderItem, error) {
	it, err := parser.ParseOrderItem(s)
	if err != nil {
		return OrderItem{}, err
	}
	if err := checkSupported(it); err != nil {
		return OrderItem{}, err
	}
	return (*conv)(nil).convertOrderItem(it)
}

func (c *conv) convertOrderItem(it *ast.OrderItem) (OrderItem, error) {
	o := OrderItem{Desc: it.Desc, NullsSet: it.Nulls != ast.NullsDefault, NullsFirst: it.Nulls == ast.NullsFirst}
	if n, ok, err := position(it.Expr); ok || err != nil {
		o.Ordinal = n
		return o, err
	}
	e, err := c.convert(it.Expr)
	o.Expr = e
	return o, err
}

// position reads an integer literal that stands for a select-list
// position (ORDER BY 2, GROUP BY 1); ok is false for other expressions.
func position(e ast.Expr) (int, bool, error) {
	lit, ok := e.(*ast.Literal)
	if !ok || lit.Kind != ast.LitInt {
		return 0, false, nil
	}
	n, err := strconv.Atoi(lit.Text)
	if err != nil {
		return 0, true, planErr("position %s is out of range", lit.Text)
	}
	return n, true, nil
}
