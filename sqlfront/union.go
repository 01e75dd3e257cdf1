package sqlfront

import (
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/sqlfront/ast"
	"github.com/drover-etl/drover/types"
)

// setOp plans INTERSECT and EXCEPT (as logical.SetOp) and UNION [ALL] chains, which the parser builds left-deep.
// Runs of UNION ALL share one Union node; a plain UNION adds a Distinct
// over everything to its left, as SQL evaluates left to right.
func (b *sqlBuilder) setOp(x *ast.SetOp) (logical.Node, error) {
	left, err := b.body(x.Left)
	if err != nil {
		return nil, err
	}
	right, err := b.body(x.Right)
	if err != nil {
		return nil, err
	}
	switch x.Op {
	case ast.Intersect, ast.Except:
		kind := logical.Intersect
		if x.Op == ast.Except {
			kind = logical.Except
		}
		n, err := logical.NewSetOp(kind, x.All, left, right)
		if err != nil {
			return nil, planErr("%s: %v", x.Op, err)
		}
		return n, nil
	}
	acc, err := union(left, right)
	if err != nil {
		return nil, err
	}
	if !x.All {
		acc = &logical.Distinct{Input: acc}
	}
	return acc, nil
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
