package sqlfront

import (
	"strings"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/sqlfront/ast"
	"github.com/drover-etl/drover/types"
)

// PlanSelect plans one SQL query (SELECT, UNION, WITH) over the named
// relations rels (sources and views, each qualified by its name) and
// returns its bound logical plan.
func PlanSelect(sql string, rels map[string]logical.Node, funcs expr.FuncResolver) (logical.Node, error) {
	return PlanView("", sql, rels, funcs)
}

// PlanView is PlanSelect with the output columns qualified by name, so
// later views can say name.column.
func PlanView(name, sql string, rels map[string]logical.Node, funcs expr.FuncResolver) (logical.Node, error) {
	q, err := parseQuery(sql)
	if err != nil {
		return nil, err
	}
	if err := checkSupported(q); err != nil {
		return nil, err
	}
	b := &sqlBuilder{rels: rels, funcs: funcs}
	return b.query(q, name)
}

// sqlBuilder plans SQL queries; rels grows with WITH clauses.
type sqlBuilder struct {
	rels  map[string]logical.Node
	funcs expr.FuncResolver
	// seq numbers subquery and window placeholders across the whole
	// statement, so that nested blocks never reuse a name.
	seq *int
}

func (b *sqlBuilder) next() int {
	if b.seq == nil {
		b.seq = new(int)
	}
	*b.seq++
	return *b.seq
}

// query plans a whole query: its WITH, its body, then ORDER BY and LIMIT
// over the body (inside the SELECT's own planning when the body is one,
// so they may use its aggregates and input columns).
func (b *sqlBuilder) query(q *ast.Query, name string) (logical.Node, error) {
	b, err := b.with(q.With)
	if err != nil {
		return nil, err
	}
	if sel, ok := q.Body.(*ast.Select); ok {
		return b.selectStmt(sel, q, name)
	}
	node, err := b.body(q.Body)
	if err != nil {
		return nil, err
	}
	if q.OrderBy == nil && q.Limit == nil && q.Offset == nil {
		return Qualify(node, name), nil
	}
	out := &Query{Name: name, Input: node}
	if err := newConv(b, out, nil).fillOrderLimit(out, q); err != nil {
		return nil, err
	}
	return out.Plan(b.funcs)
}

// body plans a query body without ORDER BY and LIMIT of its own.
func (b *sqlBuilder) body(body ast.QueryBody) (logical.Node, error) {
	switch x := body.(type) {
	case *ast.Select:
		return b.selectStmt(x, nil, "")
	case *ast.SetOp:
		return b.setOp(x)
	case *ast.Query:
		return b.query(x, "")
	case *ast.Values:
		return b.values(x)
	}
	return nil, unsupported("not supported: %s", snippet(body))
}

// selectStmt plans one SELECT block; outer, when set, is the query whose
// ORDER BY and LIMIT apply to it.
func (b *sqlBuilder) selectStmt(x *ast.Select, outer *ast.Query, name string) (logical.Node, error) {
	q, where, err := b.block(x, outer, name)
	if err != nil {
		return nil, err
	}
	if len(where) > 0 {
		q.Where = andAll(where)
	}
	return q.Plan(b.funcs)
}

// block prepares one SELECT block for planning: its FROM planned (joined
// on the WHERE conjuncts that name both sides of a comma join), the rest
// of the WHERE returned apart, every other clause converted into q.
func (b *sqlBuilder) block(x *ast.Select, outer *ast.Query, name string) (*Query, []*expr.Expr, error) {
	q := &Query{Name: name, Distinct: x.Distinct}
	c := newConv(b, q, x)
	var where *expr.Expr
	if x.Where != nil {
		w, err := c.convert(x.Where)
		if err != nil {
			return nil, nil, clauseErr("where", -1, err)
		}
		where = w
	}
	fb := &fromBuilder{sqlBuilder: b, where: splitWhere(where)}
	input, err := fb.fromList(x.From)
	if err != nil {
		return nil, nil, clauseErr("from", -1, err)
	}
	q.Input = input
	if err := c.fillQuery(q, x); err != nil {
		return nil, nil, err
	}
	if outer != nil {
		if err := c.fillOrderLimit(q, outer); err != nil {
			return nil, nil, err
		}
	}
	return q, fb.remaining(), nil
}

func (c *conv) fillQuery(q *Query, x *ast.Select) error {
	for i, f := range x.Items {
		it, err := c.convertItem(f)
		if err != nil {
			return clauseErr("select", i, err)
		}
		q.Select = append(q.Select, it)
	}
	if err := c.groupBy(q, x.GroupBy); err != nil {
		return err
	}
	if x.GroupBy != nil && len(q.GroupBy) == 0 {
		// GROUP BY () is one group of everything, like no GROUP BY with
		// aggregates; it still makes the query an aggregation.
		q.Having = orTrue(q.Having)
	}
	if x.Having != nil {
		h, err := c.convert(x.Having)
		if err != nil {
			return clauseErr("having", -1, err)
		}
		q.Having = h
	}
	if x.Qualify != nil {
		qf, err := c.convert(x.Qualify)
		if err != nil {
			return clauseErr("qualify", -1, err)
		}
		q.Qualify = qf
	}
	return nil
}

// orTrue keeps h, or makes TRUE: a having that forces aggregation.
func orTrue(h *expr.Expr) *expr.Expr {
	if h != nil {
		return h
	}
	return expr.Lit(types.BoolValue(true))
}

func (c *conv) fillOrderLimit(q *Query, outer *ast.Query) error {
	for i, it := range outer.OrderBy {
		o, err := c.convertOrderItem(it)
		if err != nil {
			return clauseErr("order_by", i, err)
		}
		q.OrderBy = append(q.OrderBy, o)
	}
	if outer.Limit != nil {
		n, err := limitCount(outer.Limit)
		if err != nil {
			return clauseErr("limit", -1, err)
		}
		q.Limit = &n
	}
	if outer.Offset != nil {
		n, err := limitCount(outer.Offset)
		if err != nil {
			return clauseErr("offset", -1, err)
		}
		q.Offset = &n
	}
	return nil
}

// groupItems resolves a GROUP BY element: a position or (when no input
// column has the name) a select alias stands for that select item's
// expression; a parenthesized list (a, b) is its members.
func (c *conv) groupItems(g *ast.GroupItem, q *Query) ([]Item, error) {
	var out []Item
	for _, e := range g.Exprs {
		it, err := c.groupItem(e, q)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, nil
}

func (c *conv) groupItem(e ast.Expr, q *Query) (Item, error) {
	if n, ok, err := position(e); ok || err != nil {
		if err != nil {
			return Item{}, err
		}
		if n < 1 || n > len(q.Select) || q.Select[n-1].Star {
			return Item{}, planErr("position %d is not an expression of the select list", n)
		}
		return Item{Expr: q.Select[n-1].Expr}, nil
	}
	g, err := c.convert(e)
	if err != nil {
		return Item{}, err
	}
	if g.Kind == expr.KindColumn && g.Qualifier == "" {
		if _, err := q.Input.Schema().Resolve("", g.Name); err != nil {
			for _, it := range q.Select {
				if strings.EqualFold(it.Alias, g.Name) {
					return Item{Expr: it.Expr}, nil
				}
			}
		}
	}
	return Item{Expr: g}, nil
}

// limitCount reads LIMIT n, n a non-negative whole number.
func limitCount(e ast.Expr) (int64, error) {
	lit, ok := e.(*ast.Literal)
	if !ok || lit.Kind != ast.LitInt {
		return 0, unsupported("not supported: LIMIT %s; LIMIT needs a whole number", e)
	}
	v, err := convertLiteral(lit)
	if err != nil || v.Value.Type.ID != types.Int64 {
		return 0, planErr("LIMIT %s is out of range", lit.Text)
	}
	return v.Value.I, nil
}
