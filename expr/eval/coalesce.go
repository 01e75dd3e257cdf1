package eval

import (
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// coalesceNode returns its first non-NULL argument. Later arguments are
// evaluated only while some rows are still NULL, and only optimistically
// for rows that do not need them (see lazyArg).
type coalesceNode struct {
	typ  types.Type
	args []lazyArg
}

func buildCoalesce(c *compiler, e *expr.Expr, args []node) (node, error) {
	if len(args) == 0 {
		return nil, invalidf("coalesce needs arguments")
	}
	n := &coalesceNode{typ: e.Type}
	for i, a := range args {
		if t := e.Args[i].Type; t != e.Type && t.ID != types.Null {
			return nil, invalidf("coalesce: argument of type %s, result %s", t, e.Type)
		}
		n.args = append(n.args, newLazyArg(e.Args[i], a))
	}
	return n, nil
}

func (c *coalesceNode) resultType() types.Type { return c.typ }

func (c *coalesceNode) eval(b *batch) (datum, error) {
	acc, err := c.args[0].eval(b)
	if err != nil {
		return datum{}, err
	}
	for _, a := range c.args[1:] {
		need := nullMask(acc, b.n)
		cnt := countBits(need, b.n)
		if cnt == 0 {
			break
		}
		v, err := a.evalFor(b, need, cnt)
		if err != nil {
			acc.release()
			return datum{}, err
		}
		next, err := ifElse(b, need, v, acc, c.typ)
		v.release()
		acc.release()
		if err != nil {
			return datum{}, err
		}
		acc = next
	}
	return acc, nil
}

// nullifNode is NULLIF(a, b): NULL where a = b is TRUE, else a.
type nullifNode struct {
	typ  types.Type
	a, b node
	eq   *callNode
}

func buildNullIf(c *compiler, e *expr.Expr, args []node) (node, error) {
	if err := wantArity(e, 2, 2); err != nil {
		return nil, err
	}
	t, err := operandType(e)
	if err != nil {
		return nil, err
	}
	return &nullifNode{typ: e.Type, a: args[0], b: args[1], eq: compareNode(opEq, t, args)}, nil
}

func (n *nullifNode) resultType() types.Type { return n.typ }

func (n *nullifNode) eval(b *batch) (datum, error) {
	args, err := evalArgs(b, []node{n.a, n.b})
	if err != nil {
		return datum{}, err
	}
	defer releaseAll(args)
	eq, err := n.eq.apply(b, args)
	if err != nil {
		return datum{}, err
	}
	defer eq.release()
	if eq.arr == nil {
		if !eq.val.Null && eq.val.B {
			return scalarDatum(types.NullValue(n.typ)), nil
		}
		return retain(args[0]), nil
	}
	return ifElse(b, trueMask(eq, b.n), scalarDatum(types.NullValue(n.typ)), args[0], n.typ)
}
