package sqlfront

import (
	"strconv"
	"strings"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
)

// orderKey is an ORDER BY item resolved to output column idx, or (idx -1)
// an expression still to be matched against the output or added hidden.
type orderKey struct {
	idx  int
	expr *expr.Expr
	item OrderItem
}

// orderPhase1 resolves ORDER BY positions and output names (an output
// name wins over an input column, as in SQL) and rewrites the rest.
func (p *planner) orderPhase1(out *output) error {
	for i, o := range p.q.OrderBy {
		switch {
		case o.Ordinal > 0:
			if o.Ordinal > len(out.exprs) {
				return clauseErr("order_by", i, planErr("position %d is not in the select list (1..%d)", o.Ordinal, len(out.exprs)))
			}
			out.order = append(out.order, orderKey{idx: o.Ordinal - 1, item: o})
			continue
		case o.Ordinal < 0:
			return clauseErr("order_by", i, planErr("position %d is not in the select list", o.Ordinal))
		}
		idx, err := outputName(o.Expr, out.names, p.q.Name)
		if err != nil {
			return clauseErr("order_by", i, err)
		}
		if idx >= 0 {
			out.order = append(out.order, orderKey{idx: idx, item: o})
			continue
		}
		e, err := p.rewrite("order_by", i, p.expandAliases(o.Expr))
		if err != nil {
			return err
		}
		out.order = append(out.order, orderKey{idx: -1, expr: e, item: o})
	}
	return nil
}

// expandAliases replaces, in an ORDER BY expression without aggregation,
// the names of select items that are not input columns by the items'
// expressions: ORDER BY total + 1 where total is an output alias. (With
// aggregation the aggregate rewrite resolves them the same way.)
func (p *planner) expandAliases(e *expr.Expr) *expr.Expr {
	if p.agg != nil {
		return e
	}
	out, _ := expr.Transform(e.Clone(), func(n *expr.Expr) (*expr.Expr, error) {
		if n.Kind != expr.KindColumn || n.Qualifier != "" {
			return n, nil
		}
		if _, err := p.q.Input.Schema().Resolve("", n.Name); err == nil {
			return n, nil
		}
		for _, it := range p.q.Select {
			if it.Expr != nil && strings.EqualFold(it.Alias, n.Name) {
				return it.Expr.Clone(), nil
			}
		}
		return n, nil
	})
	return out
}

// outputName finds the output column a bare (or view-qualified) column
// reference names; -1 when it names none.
func outputName(e *expr.Expr, names []string, view string) (int, error) {
	if e.Kind != expr.KindColumn || (e.Qualifier != "" && !strings.EqualFold(e.Qualifier, view)) {
		return -1, nil
	}
	found := -1
	for i, n := range names {
		if strings.EqualFold(n, e.Name) {
			if found >= 0 {
				return -1, planErr("%q names two output columns", e.Name)
			}
			found = i
		}
	}
	return found, nil
}

// sortKeys binds the pending ORDER BY expressions against base; those not
// in the select list become hidden columns, returned for the projection.
func (p *planner) sortKeys(out *output, bound []*expr.Expr, base logical.Node) (hidden []*expr.Expr, err error) {
	for i, k := range out.order {
		if k.idx >= 0 {
			continue
		}
		b, err := expr.Bind(k.expr, base.Schema(), p.funcs)
		if err != nil {
			return nil, clauseErr("order_by", i, err)
		}
		out.order[i].idx = indexOf(bound, b)
		if out.order[i].idx >= 0 {
			continue
		}
		if idx := indexOf(hidden, b); idx >= 0 {
			out.order[i].idx = len(bound) + idx
			continue
		}
		if p.q.Distinct {
			return nil, clauseErr("order_by", i, planErr("with DISTINCT, order by columns of the select list only"))
		}
		out.order[i].idx = len(bound) + len(hidden)
		hidden = append(hidden, b)
	}
	return hidden, nil
}

func indexOf(list []*expr.Expr, e *expr.Expr) int {
	for i, x := range list {
		if expr.Equal(x, e) {
			return i
		}
	}
	return -1
}

func sortKeyList(keys []orderKey, node logical.Node) []logical.SortKey {
	fields := node.Schema().Fields
	out := make([]logical.SortKey, len(keys))
	for i, k := range keys {
		nullsFirst := logical.DefaultNullsFirst(k.item.Desc)
		if k.item.NullsSet {
			nullsFirst = k.item.NullsFirst
		}
		out[i] = logical.SortKey{Expr: expr.BoundCol(k.idx, fields[k.idx]), Desc: k.item.Desc, NullsFirst: nullsFirst}
	}
	return out
}

func hiddenNames(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "_sort" + strconv.Itoa(i+1)
	}
	return out
}
