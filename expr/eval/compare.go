package eval

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

type cmpOp uint8

const (
	opEq cmpOp = iota
	opNe
	opLt
	opLe
	opGt
	opGe
)

var cmpOps = map[string]cmpOp{
	expr.FnEq: opEq, expr.FnNe: opNe, expr.FnLt: opLt,
	expr.FnLe: opLe, expr.FnGt: opGt, expr.FnGe: opGe,
}

// flip turns "c op x" into "x flip(op) c".
func (o cmpOp) flip() cmpOp {
	return [...]cmpOp{opEq, opNe, opGt, opGe, opLt, opLe}[o]
}

// cmpMasks: bit k is the op's answer when the operands compare as k
// (0 less, 1 equal, 2 greater); used where a three-way compare is natural.
var cmpMasks = [...]uint8{opEq: 2, opNe: 5, opLt: 1, opLe: 3, opGt: 4, opGe: 6}

func buildCompare(c *compiler, e *expr.Expr, args []node) (node, error) {
	if err := wantArity(e, 2, 2); err != nil {
		return nil, err
	}
	t, err := operandType(e)
	if err != nil {
		return nil, err
	}
	return compareNode(cmpOps[e.Name], t, args), nil
}

// operandType is the common type of a comparison's two arguments (a NULL
// literal takes the other side's type).
func operandType(e *expr.Expr) (types.Type, error) {
	a, b := e.Args[0].Type, e.Args[1].Type
	switch {
	case a.ID == types.Null:
		return b, nil
	case b.ID == types.Null || a == b:
		return a, nil
	}
	return types.Type{}, invalidf("%s: operands %s and %s differ", e.Name, a, b)
}

func compareNode(op cmpOp, t types.Type, args []node) *callNode {
	return newCall("compare", types.BoolType, args, compareKernel(op, t), strict|liftable, 0b11)
}

// compareKernel compares column with column or column with constant; a
// constant on the left is moved right by flipping the operator.
func compareKernel(op cmpOp, t types.Type) kernel {
	return func(b *batch, args []datum) (arrow.Array, error) {
		l, r, o := args[0], args[1], op
		if l.arr == nil {
			l, r, o = r, l, op.flip()
		}
		data := newBitmap(b.mem, b.n)
		compareInto(o, t, l, r, data.Bytes())
		valid, nulls := validAnd(b.mem, b.n, l.arr, r.arr)
		return boolArray(b.n, data, valid, nulls), nil
	}
}

func compareInto(op cmpOp, t types.Type, l, r datum, out []byte) {
	switch t.ID {
	case types.Int32, types.Date:
		cmpOrdered[int32](op, l, r, out)
	case types.Int64, types.Timestamp:
		cmpOrdered[int64](op, l, r, out)
	case types.Float32:
		cmpFloat[float32](op, l, r, out)
	case types.Float64:
		cmpFloat[float64](op, l, r, out)
	case types.Decimal:
		cmpDecimal(op, t, l, r, out)
	case types.String:
		cmpString(op, l, r, out)
	case types.Bool:
		cmpBool(op, l, r, out)
	}
}

func cmpOrdered[T int32 | int64 | uint8](op cmpOp, l, r datum, out []byte) {
	a := values[T](l.arr)
	if r.arr == nil {
		cmpAS(op, a, scalarAs[T](r.val), out)
		return
	}
	cmpAA(op, a, values[T](r.arr), out)
}

func cmpFloat[T float32 | float64](op cmpOp, l, r datum, out []byte) {
	a := values[T](l.arr)
	if r.arr == nil {
		cmpFloatAS(op, a, scalarAs[T](r.val), out)
		return
	}
	cmpFloatAA(op, a, values[T](r.arr), out)
}

func cmpString(op cmpOp, l, r datum, out []byte) {
	a := l.arr.(*array.String)
	if r.arr == nil {
		cmpStrAS(op, a, r.val.S, out)
		return
	}
	cmpStrAA(op, a, r.arr.(*array.String), out)
}

// cmpBool compares booleans as 0/1 bytes (false < true); rare enough that
// unpacking the bits first is fine.
func cmpBool(op cmpOp, l, r datum, out []byte) {
	a := unpackBools(l.arr.(*array.Boolean))
	if r.arr == nil {
		cmpAS(op, a, scalarAs[uint8](r.val), out)
		return
	}
	cmpAA(op, a, unpackBools(r.arr.(*array.Boolean)), out)
}

func unpackBools(a *array.Boolean) []uint8 {
	out := make([]uint8, a.Len())
	for i := range out {
		if a.Value(i) {
			out[i] = 1
		}
	}
	return out
}
