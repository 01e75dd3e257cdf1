package sqlfront

import (
	"strings"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/sqlfront/ast"
	"github.com/drover-etl/drover/types"
)

// join plans an explicit JOIN. RIGHT JOIN is a LEFT JOIN with the inputs
// swapped and the columns put back in order; USING and NATURAL become
// equalities on the shared columns, which then appear once.
func (f *fromBuilder) join(x *ast.Join) (logical.Node, error) {
	left, err := f.relation(x.Left)
	if err != nil {
		return nil, err
	}
	right, err := f.relation(x.Right)
	if err != nil {
		return nil, err
	}
	if x.Type == ast.CrossJoin {
		return f.commaJoin(left, right, "CROSS JOIN")
	}
	typ, ok := map[ast.JoinType]logical.JoinType{ast.InnerJoin: logical.InnerJoin, ast.LeftJoin: logical.LeftJoin, ast.RightJoin: logical.LeftJoin, ast.FullJoin: logical.FullJoin}[x.Type]
	if !ok {
		return nil, unsupported("not supported: %s", x.Type)
	}
	using := x.Using
	if x.Natural {
		if using = commonColumns(left.Schema(), right.Schema()); len(using) == 0 {
			return nil, unsupported("not supported: NATURAL JOIN of relations with no column in common (a cross product)")
		}
	}
	var on *expr.Expr
	var pairs [][2]int
	if using != nil {
		if on, pairs, err = usingCondition(left.Schema(), right.Schema(), using); err != nil {
			return nil, err
		}
	} else if on, err = (*conv)(nil).convert(x.On); err != nil {
		return nil, err
	}
	var node logical.Node
	if x.Type == ast.RightJoin {
		node, err = rightJoin(left, right, on, f.funcs)
	} else {
		node, err = PlanJoin(left, right, typ, on, f.funcs)
	}
	if err != nil || pairs == nil {
		return node, err
	}
	if x.Type == ast.FullJoin {
		return mergeUsingFull(node, left.Schema().Len(), pairs)
	}
	return mergeUsing(node, left.Schema().Len(), pairs, x.Type == ast.RightJoin), nil
}

// rightJoin plans left RIGHT JOIN right as right LEFT JOIN left, then
// restores the column order (left's columns first).
func rightJoin(left, right logical.Node, on *expr.Expr, funcs expr.FuncResolver) (logical.Node, error) {
	j, err := PlanJoin(right, left, logical.LeftJoin, on, funcs)
	if err != nil {
		return nil, err
	}
	nl, nr := left.Schema().Len(), right.Schema().Len()
	order := make([]int, 0, nl+nr)
	for i := range nl {
		order = append(order, nr+i)
	}
	for i := range nr {
		order = append(order, i)
	}
	return pickColumns(j, order), nil
}

// pickColumns is a Project of the given input columns, each keeping its
// name and qualifier.
func pickColumns(in logical.Node, cols []int) *logical.Project {
	s := in.Schema()
	p := &logical.Project{Input: in}
	for _, c := range cols {
		p.Exprs = append(p.Exprs, expr.BoundCol(c, s.Fields[c]))
		p.Names = append(p.Names, s.Fields[c].Name)
		p.Qualifiers = append(p.Qualifiers, s.Fields[c].Qualifier)
	}
	return p
}

// commonColumns lists the column names both schemas have, in the left
// schema's order: the columns of a NATURAL JOIN.
func commonColumns(l, r *types.Schema) []string {
	var out []string
	for _, f := range l.Fields {
		for _, g := range r.Fields {
			if strings.EqualFold(f.Name, g.Name) {
				out = append(out, f.Name)
				break
			}
		}
	}
	return out
}

// usingCondition builds l.c = r.c for each USING column and returns the
// (left, right) column indexes of each pair.
func usingCondition(l, r *types.Schema, cols []string) (*expr.Expr, [][2]int, error) {
	var conds []*expr.Expr
	var pairs [][2]int
	for _, c := range cols {
		li, err := l.Resolve("", c)
		if err != nil {
			return nil, nil, planErr("USING column %q of the left side: %v", c, err)
		}
		ri, err := r.Resolve("", c)
		if err != nil {
			return nil, nil, planErr("USING column %q of the right side: %v", c, err)
		}
		lf, rf := l.Fields[li], r.Fields[ri]
		conds = append(conds, expr.Call(expr.FnEq, expr.Col(lf.Qualifier, lf.Name), expr.Col(rf.Qualifier, rf.Name)))
		pairs = append(pairs, [2]int{li, ri})
	}
	return andAll(conds), pairs, nil
}

// mergeUsing puts each USING column once, first, then the other columns
// of the left side and of the right side. The merged column is the left
// one, or for a RIGHT JOIN the right one (the side every row has).
func mergeUsing(j logical.Node, nLeft int, pairs [][2]int, right bool) logical.Node {
	drop := map[int]bool{}
	var cols []int
	for _, p := range pairs {
		keep, gone := p[0], nLeft+p[1]
		if right {
			keep, gone = gone, keep
		}
		cols = append(cols, keep)
		drop[keep], drop[gone] = true, true
	}
	for i := range j.Schema().Len() {
		if !drop[i] {
			cols = append(cols, i)
		}
	}
	return pickColumns(j, cols)
}

// mergeUsingFull is mergeUsing for a FULL JOIN, where either side may be
// missing: each USING column is COALESCE(left, right), unqualified.
func mergeUsingFull(j logical.Node, nLeft int, pairs [][2]int) (logical.Node, error) {
	s := j.Schema()
	p := &logical.Project{Input: j}
	drop := map[int]bool{}
	for _, pr := range pairs {
		l, r := pr[0], nLeft+pr[1]
		drop[l], drop[r] = true, true
		e, err := expr.Bind(expr.Call(expr.FnCoalesce, expr.BoundCol(l, s.Fields[l]), expr.BoundCol(r, s.Fields[r])), s, nil)
		if err != nil {
			return nil, err
		}
		p.Exprs = append(p.Exprs, e)
		p.Names = append(p.Names, s.Fields[l].Name)
		p.Qualifiers = append(p.Qualifiers, "")
	}
	for i := range s.Len() {
		if !drop[i] {
			p.Exprs = append(p.Exprs, expr.BoundCol(i, s.Fields[i]))
			p.Names = append(p.Names, s.Fields[i].Name)
			p.Qualifiers = append(p.Qualifiers, s.Fields[i].Qualifier)
		}
	}
	return p, nil
}
