package eval

import (
	"fmt"
	"math/bits"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/types"
)

// intKernel: add, sub and mul check overflow with branch-free sign tests
// accumulated over the batch; only when one fired are the rows re-checked
// one by one, to skip NULL rows (whose slots hold arbitrary values) and to
// name the first offending operands. mod by zero is NULL.
func intKernel(op arithOp, t types.Type) kernel {
	return func(b *batch, args []datum) (arrow.Array, error) {
		if t.ID == types.Int32 {
			return intArith[int32](b, op, t, args[0], args[1])
		}
		return intArith[int64](b, op, t, args[0], args[1])
	}
}

func intArith[T int32 | int64](b *batch, op arithOp, t types.Type, l, r datum) (arrow.Array, error) {
	x, sx := operand[T](l)
	y, sy := operand[T](r)
	buf, out := allocFixed[T](b.mem, b.n)
	valid, nulls := validAnd(b.mem, b.n, l.arr, r.arr)
	var ovf bool
	switch op {
	case opAdd:
		ovf = addInts(x, sx, y, sy, out)
	case opSub:
		ovf = subInts(x, sx, y, sy, out)
	case opMul:
		ovf = mulInts(x, sx, y, sy, out)
	case opMod:
		valid, nulls = modInts(b, x, sx, y, sy, out, valid)
	}
	if ovf {
		if err := findIntOverflow(op, t, l, r, x, sx, y, sy); err != nil {
			buf.Release()
			if valid != nil {
				valid.Release()
			}
			return nil, err
		}
	}
	return fixedArray(t, b.n, buf, valid, nulls), nil
}

func addInts[T int32 | int64](x []T, sx int, y []T, sy int, out []T) bool {
	var acc T
	for i := range out {
		a, c := x[i*sx], y[i*sy]
		s := a + c
		acc |= (a ^ s) & (c ^ s)
		out[i] = s
	}
	return acc < 0
}

func subInts[T int32 | int64](x []T, sx int, y []T, sy int, out []T) bool {
	var acc T
	for i := range out {
		a, c := x[i*sx], y[i*sy]
		s := a - c
		acc |= (a ^ c) & (a ^ s)
		out[i] = s
	}
	return acc < 0
}

func mulInts[T int32 | int64](x []T, sx int, y []T, sy int, out []T) bool {
	switch o := any(out).(type) {
	case []int32:
		return mulInts32(any(x).([]int32), sx, any(y).([]int32), sy, o)
	case []int64:
		return mulInts64(any(x).([]int64), sx, any(y).([]int64), sy, o)
	}
	return false
}

func mulInts32(x []int32, sx int, y []int32, sy int, out []int32) bool {
	ovf := false
	for i := range out {
		p := int64(x[i*sx]) * int64(y[i*sy])
		out[i] = int32(p)
		ovf = ovf || p != int64(int32(p))
	}
	return ovf
}

func mulInts64(x []int64, sx int, y []int64, sy int, out []int64) bool {
	ovf := false
	for i := range out {
		p, ok := mul64Checked(x[i*sx], y[i*sy])
		out[i] = p
		ovf = ovf || !ok
	}
	return ovf
}

// mul64Checked takes the high word of the 128-bit product, corrected for
// signs; the product fits unless it differs from the low word's sign
// extension.
func mul64Checked(x, y int64) (int64, bool) {
	hi, lo := bits.Mul64(uint64(x), uint64(y))
	shi := int64(hi) - (x>>63)&y - (y>>63)&x
	return int64(lo), shi == int64(lo)>>63
}

func checkedInt[T int32 | int64](op arithOp, a, c T) bool {
	switch op {
	case opAdd:
		s := a + c
		return (a^s)&(c^s) >= 0
	case opSub:
		s := a - c
		return (a^c)&(a^s) >= 0
	}
	p := int64(a) * int64(c)
	if _, ok := any(a).(int32); ok {
		return p == int64(int32(p))
	}
	_, ok := mul64Checked(int64(a), int64(c))
	return ok
}

func findIntOverflow[T int32 | int64](op arithOp, t types.Type, l, r datum, x []T, sx int, y []T, sy int) error {
	n := max(len(x)*sx, len(y)*sy)
	for i := range n {
		a, c := x[i*sx], y[i*sy]
		if !checkedInt(op, a, c) && isValid(l.arr, i) && isValid(r.arr, i) {
			return overflowError(op.String(), t, fmt.Sprintf("%d %s %d", a, op.sym(), c))
		}
	}
	return nil
}

// modInts is x % y with the sign of x (Go's and SQL's truncated modulo);
// y = 0 gives NULL. The divisor is swapped for 1 where it is 0 so the loop
// never traps.
func modInts[T int32 | int64](b *batch, x []T, sx int, y []T, sy int, out []T, valid *memory.Buffer) (*memory.Buffer, int) {
	zero := false
	for i := range out {
		d := y[i*sy]
		if d == 0 {
			d, zero = 1, true
		}
		out[i] = x[i*sx] % d
	}
	if zero {
		valid = clearWhereZero(b, y, sy, valid)
	}
	return valid, nullCount(valid, b.n)
}

// clearWhereZero marks NULL the rows whose divisor is zero, allocating a
// validity bitmap if there was none.
func clearWhereZero[T fixed](b *batch, y []T, sy int, valid *memory.Buffer) *memory.Buffer {
	if valid == nil {
		valid = newBitmap(b.mem, b.n)
		copy(valid.Bytes(), ones(b.n))
	}
	v := valid.Bytes()
	var zero T
	for i := range b.n {
		if y[i*sy] == zero {
			v[i>>3] &^= 1 << (i & 7)
		}
	}
	return valid
}

func nullCount(valid *memory.Buffer, n int) int {
	if valid == nil {
		return 0
	}
	return n - countBits(valid.Bytes(), n)
}
