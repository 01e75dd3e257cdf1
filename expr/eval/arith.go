package eval

import (
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// arithOp is one of the binary arithmetic operators.
type arithOp uint8

const (
	opAdd arithOp = iota
	opSub
	opMul
	opDiv
	opMod
)

var arithOps = map[string]arithOp{
	expr.FnAdd: opAdd, expr.FnSub: opSub, expr.FnMul: opMul, expr.FnDiv: opDiv, expr.FnMod: opMod,
}

var arithNames = [...]string{"add", "sub", "mul", "div", "mod"}

func (o arithOp) String() string { return arithNames[o] }

func buildArith(c *compiler, e *expr.Expr, args []node) (node, error) {
	if err := wantArity(e, 2, 2); err != nil {
		return nil, err
	}
	op := arithOps[e.Name]
	a, b, rt := e.Args[0].Type, e.Args[1].Type, e.Type
	k, err := arithKernel(op, a, b, rt)
	if err != nil {
		return nil, err
	}
	return newCall(e.Name, rt, args, k, strict, 0b11), nil
}

// arithKernel checks the operand types against the contract and picks the
// typed kernel.
func arithKernel(op arithOp, a, b, rt types.Type) (kernel, error) {
	if a.ID == types.Null {
		a = b
	}
	if b.ID == types.Null {
		b = a
	}
	switch {
	case rt.ID == types.Decimal && a.ID == types.Decimal && b.ID == types.Decimal:
		if want, ok := types.ArithmeticResult(op.sym(), a, b); !ok || want != rt {
			return nil, invalidf("%s(%s, %s) must be %s, tree says %s", op, a, b, want, rt)
		}
		return decimalKernel(op, a, b, rt), nil
	case a != rt || b != rt:
		return nil, invalidf("%s(%s, %s) → %s: operands must have the result type", op, a, b, rt)
	case rt.IsFloat():
		return floatKernel(op, rt), nil
	case rt.IsInteger() && op != opDiv:
		return intKernel(op, rt), nil
	}
	return nil, invalidf("%s is not defined for %s", op, rt)
}

func (o arithOp) sym() string { return [...]string{"+", "-", "*", "/", "%"}[o] }

func buildNeg(c *compiler, e *expr.Expr, args []node) (node, error) {
	if err := wantArity(e, 1, 1); err != nil {
		return nil, err
	}
	t := e.Type
	if a := e.Args[0].Type; a != t && a.ID != types.Null || !t.IsNumeric() {
		return nil, invalidf("neg(%s) → %s", a, t)
	}
	return newCall(e.Name, t, args, signKernel(t, false), strict, 0), nil
}
