package sqlfront

import (
	"github.com/pingcap/tidb/pkg/parser/ast"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// setOpr plans UNION [ALL] chains. Runs of UNION ALL share one Union
// node; a plain UNION adds a Distinct over everything to its left, as SQL
// evaluates left to right. ORDER BY and LIMIT apply to the result.
func (b *sqlBuilder) setOpr(x *ast.SetOprStmt, name string) (logical.Node, error) {
	b, err := b.with(x.With)
	if err != nil {
		return nil, err
	}
	node, err := b.selectList(x.SelectList)
	if err != nil {
		return nil, err
	}
	if x.OrderBy == nil && x.Limit == nil {
		return Qualify(node, name), nil
	}
	q := &Query{Name: name, Input: node}
	if err := fillOrderLimit(q, x.OrderBy, x.Limit); err != nil {
		return nil, err
	}
	return q.Plan(b.funcs)
}

func (b *sqlBuilder) selectList(l *ast.SetOprSelectList) (logical.Node, error) {
	b, err := b.with(l.With)
	if err != nil {
		return nil, err
	}
	var acc logical.Node
	for _, sel := range l.Selects {
		node, op, err := b.branch(sel)
		if err != nil {
			return nil, err
		}
		if acc == nil {
			acc = node
			continue
		}
		if op != nil && *op != ast.Union && *op != ast.UnionAll {
			return nil, unsupported("%s is not supported; only UNION and UNION ALL", op)
		}
		if acc, err = union(acc, node); err != nil {
			return nil, err
		}
		if op != nil && *op == ast.Union {
			acc = &logical.Distinct{Input: acc}
		}
	}
	if l.OrderBy != nil || l.Limit != nil {
		q := &Query{Input: acc}
		if err := fillOrderLimit(q, l.OrderBy, l.Limit); err != nil {
			return nil, err
		}
		return q.Plan(b.funcs)
	}
	return acc, nil
}

func (b *sqlBuilder) branch(n ast.Node) (logical.Node, *ast.SetOprType, error) {
	switch x := n.(type) {
	case *ast.SelectStmt:
		node, err := b.selectStmt(x, "")
		return node, x.AfterSetOperator, err
	case *ast.SetOprSelectList:
		node, err := b.selectList(x)
		return node, x.AfterSetOperator, err
	}
	return nil, nil, unsupported("%T in UNION is not supported", n)
}

// union appends right to acc, casting columns to common types; a Union
// with no Distinct on top absorbs the new input.
func union(acc, right logical.Node) (logical.Node, error) {
	inputs := []logical.Node{acc}
	if u, ok := acc.(*logical.Union); ok {
		inputs = append([]logical.Node(nil), u.Inputs...)
	}
	inputs = append(inputs, right)
	width := inputs[0].Schema().Len()
	targets := make([]types.Type, width)
	for _, in := range inputs {
		s := in.Schema()
		if s.Len() != width {
			return nil, planErr("UNION branches have %d and %d columns", width, s.Len())
		}
		for i, f := range s.Fields {
			t, ok := types.Common(targets[i], f.Type)
			if !ok {
				return nil, planErr("UNION column %d (%s) mixes %s and %s", i+1, inputs[0].Schema().Fields[i].Name, targets[i], f.Type)
			}
			targets[i] = t
		}
	}
	for i, in := range inputs {
		inputs[i] = castColumns(in, targets)
	}
	return &logical.Union{Inputs: inputs}, nil
}

// castColumns converts the columns of n to the given types where they
// differ: inside n when it is a Project, else with a Project on top.
func castColumns(n logical.Node, targets []types.Type) logical.Node {
	s := n.Schema()
	exprs := make([]*expr.Expr, s.Len())
	input, names, qualifier := n, s.Names(), ""
	if p, ok := n.(*logical.Project); ok {
		copy(exprs, p.Exprs)
		input, qualifier = p.Input, p.Qualifier
	} else {
		for i, f := range s.Fields {
			exprs[i] = expr.BoundCol(i, f)
		}
	}
	same := true
	for i, e := range exprs {
		if e.Type != targets[i] {
			same = false
			c := expr.Cast(e, targets[i])
			c.Nullable = e.Nullable
			exprs[i] = c
		}
	}
	if same {
		return n
	}
	return &logical.Project{Input: input, Exprs: exprs, Names: names, Qualifier: qualifier}
}
