package sqlfront

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/pingcap/tidb/pkg/parser"
	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/mysql"
	_ "github.com/pingcap/tidb/pkg/parser/test_driver" // literal values for the parser

	"github.com/drover-etl/drover/expr"
)

// A parser is not safe for concurrent use and costly to build; pool them.
var parsers = sync.Pool{New: func() any {
	p := parser.New()
	p.SetSQLMode(mysql.ModeANSIQuotes | mysql.ModePipesAsConcat)
	return p
}}

// parseStatement parses exactly one SQL statement. prefix is text the
// caller put in front of the user's (to parse an expression as a SELECT);
// error columns are corrected for it.
func parseStatement(sql string, prefix int) (ast.StmtNode, error) {
	p := parsers.Get().(*parser.Parser)
	defer parsers.Put(p)
	stmts, _, err := p.Parse(normalize(sql), "", "")
	if err != nil {
		return nil, syntaxError(err, prefix)
	}
	if len(stmts) != 1 {
		return nil, fmt.Errorf("%w: expected one statement, found %d", ErrSyntax, len(stmts))
	}
	return stmts[0], nil
}

var parseErrRE = regexp.MustCompile(`line (\d+) column (\d+) near "((?s).*)"`)

// syntaxError rewrites TiDB's `line 1 column 27 near "x"` into a message
// that makes sense without knowing about TiDB.
func syntaxError(err error, prefix int) error {
	m := parseErrRE.FindStringSubmatch(err.Error())
	if m == nil {
		return fmt.Errorf("%w: %v", ErrSyntax, err)
	}
	near := "at the end"
	if m[3] != "" {
		near = fmt.Sprintf("near %q", firstLine(m[3]))
	}
	line, _ := strconv.Atoi(m[1])
	col, _ := strconv.Atoi(m[2])
	if line == 1 {
		col -= prefix
	}
	if prefix > 0 {
		return fmt.Errorf("%w %s (column %d)", ErrSyntax, near, max(col, 1))
	}
	return fmt.Errorf("%w %s (line %d, column %d)", ErrSyntax, near, line, col)
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return s
}

const selectPrefix = "SELECT "

// parseField parses s as one select-list item: "expr [AS alias]", "*" or
// "t.*", and nothing else.
func parseField(s string) (*ast.SelectField, error) {
	stmt, err := parseStatement(selectPrefix+s, len(selectPrefix))
	if err != nil {
		return nil, err
	}
	sel, ok := stmt.(*ast.SelectStmt)
	if !ok || sel.From != nil || sel.Where != nil || sel.GroupBy != nil || sel.Having != nil ||
		sel.OrderBy != nil || sel.Limit != nil || sel.Distinct || sel.With != nil || len(sel.Fields.Fields) != 1 {
		return nil, fmt.Errorf("%w: expected a single expression, got %q", ErrSyntax, s)
	}
	return sel.Fields.Fields[0], nil
}

// ParseExpr parses a standalone SQL expression such as a where or having
// string. The result is unbound; aggregate calls in it (allowed in having)
// are marked so Query.Plan can compute them.
func ParseExpr(s string) (*expr.Expr, error) {
	f, err := parseField(s)
	if err != nil {
		return nil, err
	}
	if f.WildCard != nil || f.AsName.O != "" {
		return nil, fmt.Errorf("%w: expected an expression without alias, got %q", ErrSyntax, s)
	}
	return convert(f.Expr)
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
	f, err := parseField(s)
	if err != nil {
		return Item{}, err
	}
	return convertField(f)
}

func convertField(f *ast.SelectField) (Item, error) {
	if f.WildCard != nil {
		return Item{Star: true, StarQualifier: f.WildCard.Table.O}, nil
	}
	e, err := convert(f.Expr)
	if err != nil {
		return Item{}, err
	}
	return Item{Expr: e, Alias: f.AsName.O}, nil
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

var nullsRE = regexp.MustCompile(`(?i)\s+nulls\s+(first|last)\s*$`)

// ParseOrderItem parses "expr [ASC|DESC] [NULLS FIRST|LAST]" or an ordinal.
func ParseOrderItem(s string) (OrderItem, error) {
	var item OrderItem
	if m := nullsRE.FindStringSubmatch(s); m != nil {
		item.NullsSet, item.NullsFirst = true, strings.EqualFold(m[1], "first")
		s = s[:len(s)-len(m[0])]
	}
	const prefix = "SELECT 1 ORDER BY "
	stmt, err := parseStatement(prefix+s, len(prefix))
	if err != nil {
		return OrderItem{}, err
	}
	sel, ok := stmt.(*ast.SelectStmt)
	if !ok || sel.OrderBy == nil || len(sel.OrderBy.Items) != 1 || sel.Limit != nil {
		return OrderItem{}, fmt.Errorf("%w: expected one order_by item, got %q", ErrSyntax, s)
	}
	by, err := convertByItem(sel.OrderBy.Items[0])
	if err != nil {
		return OrderItem{}, err
	}
	by.NullsFirst, by.NullsSet = item.NullsFirst, item.NullsSet
	return by, nil
}

func convertByItem(b *ast.ByItem) (OrderItem, error) {
	if pos, ok := b.Expr.(*ast.PositionExpr); ok {
		if pos.P != nil {
			return OrderItem{}, unsupported("ORDER BY with a parameter is not supported")
		}
		return OrderItem{Ordinal: pos.N, Desc: b.Desc}, nil
	}
	e, err := convert(b.Expr)
	if err != nil {
		return OrderItem{}, err
	}
	return OrderItem{Expr: e, Desc: b.Desc}, nil
}
