package sqlfront

import (
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/test_driver"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
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
	stmt, err := parseStatement(sql, 0)
	if err != nil {
		return nil, err
	}
	b := &sqlBuilder{rels: rels, funcs: funcs}
	return b.query(stmt, name)
}

// sqlBuilder plans SQL statements; rels grows with WITH clauses.
type sqlBuilder struct {
	rels  map[string]logical.Node
	funcs expr.FuncResolver
}

func (b *sqlBuilder) query(n ast.Node, name string) (logical.Node, error) {
	switch x := n.(type) {
	case *ast.SelectStmt:
		return b.selectStmt(x, name)
	case *ast.SetOprStmt:
		return b.setOpr(x, name)
	case *ast.SubqueryExpr:
		return b.query(x.Query, name)
	}
	return nil, unsupported("%T is not supported; a view is one SELECT query", n)
}

func (b *sqlBuilder) selectStmt(x *ast.SelectStmt, name string) (logical.Node, error) {
	b, err := b.with(x.With)
	if err != nil {
		return nil, err
	}
	if err := checkSelectShape(x); err != nil {
		return nil, err
	}
	where, err := convertOptional(x.Where)
	if err != nil {
		return nil, clauseErr("where", -1, err)
	}
	fb := &fromBuilder{sqlBuilder: b, where: splitWhere(where)}
	input, err := fb.relation(x.From.TableRefs)
	if err != nil {
		return nil, clauseErr("from", -1, err)
	}
	q := &Query{Name: name, Input: input, Where: fb.remainingWhere(), Distinct: x.Distinct}
	if err := b.fillQuery(q, x); err != nil {
		return nil, err
	}
	return q.Plan(b.funcs)
}

func checkSelectShape(x *ast.SelectStmt) error {
	switch {
	case x.Kind != ast.SelectStmtKindSelect:
		return unsupported("VALUES and TABLE statements are not supported")
	case x.From == nil:
		return unsupported("SELECT without FROM is not supported")
	case len(x.WindowSpecs) > 0:
		return unsupported("window functions are not supported yet")
	case x.SelectIntoOpt != nil || x.LockInfo != nil:
		return unsupported("SELECT INTO and locking clauses are not supported")
	}
	return nil
}

func (b *sqlBuilder) fillQuery(q *Query, x *ast.SelectStmt) error {
	for i, f := range x.Fields.Fields {
		it, err := convertField(f)
		if err != nil {
			return clauseErr("select", i, err)
		}
		q.Select = append(q.Select, it)
	}
	if x.GroupBy != nil {
		if x.GroupBy.Rollup {
			return clauseErr("group_by", -1, unsupported("WITH ROLLUP is not supported"))
		}
		for i, by := range x.GroupBy.Items {
			g, err := groupItem(by, q)
			if err != nil {
				return clauseErr("group_by", i, err)
			}
			q.GroupBy = append(q.GroupBy, g)
		}
	}
	if x.Having != nil {
		h, err := convert(x.Having.Expr)
		if err != nil {
			return clauseErr("having", -1, err)
		}
		q.Having = h
	}
	return fillOrderLimit(q, x.OrderBy, x.Limit)
}

func fillOrderLimit(q *Query, order *ast.OrderByClause, limit *ast.Limit) error {
	if order != nil {
		for i, by := range order.Items {
			o, err := convertByItem(by)
			if err != nil {
				return clauseErr("order_by", i, err)
			}
			q.OrderBy = append(q.OrderBy, o)
		}
	}
	if limit != nil {
		n, err := limitCount(limit)
		if err != nil {
			return clauseErr("limit", -1, err)
		}
		q.Limit = &n
	}
	return nil
}

// groupItem resolves a GROUP BY item: a position or (when no input column
// has the name) a select alias stands for that select item's expression.
func groupItem(by *ast.ByItem, q *Query) (Item, error) {
	if pos, ok := by.Expr.(*ast.PositionExpr); ok {
		if pos.N < 1 || pos.N > len(q.Select) || q.Select[pos.N-1].Star {
			return Item{}, planErr("position %d is not an expression of the select list", pos.N)
		}
		return Item{Expr: q.Select[pos.N-1].Expr}, nil
	}
	e, err := convert(by.Expr)
	if err != nil {
		return Item{}, err
	}
	if e.Kind == expr.KindColumn && e.Qualifier == "" {
		if _, err := q.Input.Schema().Resolve("", e.Name); err != nil {
			for _, it := range q.Select {
				if strings.EqualFold(it.Alias, e.Name) {
					return Item{Expr: it.Expr}, nil
				}
			}
		}
	}
	return Item{Expr: e}, nil
}

func limitCount(l *ast.Limit) (int64, error) {
	if l.Offset != nil {
		return 0, unsupported("OFFSET is not supported")
	}
	v, ok := l.Count.(*test_driver.ValueExpr)
	if !ok {
		return 0, unsupported("LIMIT needs a number")
	}
	switch v.Kind() {
	case test_driver.KindInt64:
		return v.GetInt64(), nil
	case test_driver.KindUint64:
		return int64(v.GetUint64()), nil
	}
	return 0, planErr("LIMIT needs a whole number")
}

func convertOptional(n ast.ExprNode) (*expr.Expr, error) {
	if n == nil {
		return nil, nil
	}
	return convert(n)
}
