package eval

import (
	"math"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/types"
)

// floatKernel follows IEEE 754, as DuckDB does by default
// (ieee_floating_point_ops): x / 0 is ±Inf, 0 / 0 and x % 0 are NaN, and
// overflow gives ±Inf, not an error.
func floatKernel(op arithOp, t types.Type) kernel {
	return func(b *batch, args []datum) (arrow.Array, error) {
		if t.ID == types.Float32 {
			return floatArith[float32](b, op, t, args[0], args[1]), nil
		}
		return floatArith[float64](b, op, t, args[0], args[1]), nil
	}
}

func floatArith[T float32 | float64](b *batch, op arithOp, t types.Type, l, r datum) arrow.Array {
	x, sx := operand[T](l)
	y, sy := operand[T](r)
	buf, out := allocFixed[T](b.mem, b.n)
	valid, nulls := validAnd(b.mem, b.n, l.arr, r.arr)
	switch op {
	case opAdd:
		for i := range out {
			out[i] = x[i*sx] + y[i*sy]
		}
	case opSub:
		for i := range out {
			out[i] = x[i*sx] - y[i*sy]
		}
	case opMul:
		for i := range out {
			out[i] = x[i*sx] * y[i*sy]
		}
	case opDiv:
		for i := range out {
			out[i] = x[i*sx] / y[i*sy]
		}
	case opMod:
		for i := range out {
			out[i] = T(math.Mod(float64(x[i*sx]), float64(y[i*sy])))
		}
	}
	return fixedArray(t, b.n, buf, valid, nulls)
}
