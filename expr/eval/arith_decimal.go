package eval

import (
	"fmt"
	"math/big"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/types"
)

// Row outcomes of decimal kernels.
const (
	decOK uint8 = iota
	decNull
	decOverflow
)

// decPlan is a decimal operator with its scale arithmetic worked out once:
// operands are raised to a common working scale, the exact result is
// rounded half away from zero to the result scale, and must stay below
// 10^precision. Rows run on 128-bit magnitudes; the rare row whose
// intermediate exceeds 128 bits is redone exactly with math/big.
type decPlan struct {
	op     arithOp
	ka, kb int // add, sub, mod: exponents raising a and b to the working scale
	down   int // add, sub, mul: exponent from the working to the result scale
	e      int // div: 10^e multiplies the dividend (e < 0: the divisor)
	limit  u128
	typ    types.Type
	s1, s2 int32
}

func newDecPlan(op arithOp, a, b, rt types.Type) *decPlan {
	p := &decPlan{op: op, typ: rt, s1: a.Scale, s2: b.Scale, limit: pow10[rt.Precision]}
	w := max(a.Scale, b.Scale)
	p.ka, p.kb = int(w-a.Scale), int(w-b.Scale)
	switch op {
	case opAdd, opSub, opMod:
		p.down = int(w - rt.Scale)
	case opMul:
		p.down = int(a.Scale + b.Scale - rt.Scale)
	case opDiv:
		p.e = int(rt.Scale - a.Scale + b.Scale)
	}
	return p
}

func decimalKernel(op arithOp, a, b, rt types.Type) kernel {
	p := newDecPlan(op, a, b, rt)
	return func(bt *batch, args []datum) (arrow.Array, error) {
		x, sx := operand[decimal128.Num](args[0])
		y, sy := operand[decimal128.Num](args[1])
		buf, out := allocFixed[decimal128.Num](bt.mem, bt.n)
		valid, _ := validAnd(bt.mem, bt.n, args[0].arr, args[1].arr)
		var special []int
		if !p.fastOK() || !p.fastLoop(x, sx, y, sy, out) {
			special = p.loop(x, sx, y, sy, out)
		}
		valid, err := p.settle(bt, special, args, x, sx, y, sy, valid)
		if err != nil {
			buf.Release()
			return nil, err
		}
		return fixedArray(rt, bt.n, buf, valid, nullCount(valid, bt.n)), nil
	}
}

// loop computes every row and returns the rows that did not come out OK
// (division by zero, overflow), usually none.
func (p *decPlan) loop(x []decimal128.Num, sx int, y []decimal128.Num, sy int, out []decimal128.Num) []int {
	var special []int
	switch p.op {
	case opAdd, opSub:
		for i := range out {
			r, st := p.addRow(x[i*sx], y[i*sy])
			out[i] = r
			if st != decOK {
				special = append(special, i)
			}
		}
	case opMul:
		for i := range out {
			r, st := p.mulRow(x[i*sx], y[i*sy])
			out[i] = r
			if st != decOK {
				special = append(special, i)
			}
		}
	default:
		for i := range out {
			r, st := p.row(x[i*sx], y[i*sy])
			out[i] = r
			if st != decOK {
				special = append(special, i)
			}
		}
	}
	return special
}

// settle turns division-by-zero rows into NULLs and reports the first
// overflow on a non-NULL row.
func (p *decPlan) settle(b *batch, special []int, args []datum, x []decimal128.Num, sx int, y []decimal128.Num, sy int, valid *memory.Buffer) (*memory.Buffer, error) {
	for _, i := range special {
		if !isValid(args[0].arr, i) || !isValid(args[1].arr, i) {
			continue
		}
		a, c := x[i*sx], y[i*sy]
		if _, st := p.row(a, c); st == decOverflow {
			if valid != nil {
				valid.Release()
			}
			return nil, overflowError(p.op.String(), p.typ, fmt.Sprintf("%s %s %s",
				formatDecimal(a, p.s1), p.op.sym(), formatDecimal(c, p.s2)))
		}
		if valid == nil {
			valid = newBitmap(b.mem, b.n)
			copy(valid.Bytes(), ones(b.n))
		}
		valid.Bytes()[i>>3] &^= 1 << (i & 7)
	}
	return valid, nil
}

func (p *decPlan) row(x, y decimal128.Num) (decimal128.Num, uint8) {
	switch p.op {
	case opAdd, opSub:
		return p.addRow(x, y)
	case opMul:
		return p.mulRow(x, y)
	case opDiv:
		return p.divRow(x, y)
	}
	return p.modRow(x, y)
}

func (p *decPlan) finish(m u128, neg bool) (decimal128.Num, uint8) {
	if !m.less(p.limit) {
		return decimal128.Num{}, decOverflow
	}
	return signed(m, neg), decOK
}

func (p *decPlan) addRow(x, y decimal128.Num) (decimal128.Num, uint8) {
	mx, nx := mag(x)
	my, ny := mag(y)
	ax, ok1 := scaleUp(mx, p.ka)
	ay, ok2 := scaleUp(my, p.kb)
	if !ok1 || !ok2 {
		return p.bigRow(x, y)
	}
	if p.op == opSub {
		ny = !ny
	}
	m, neg, ok := addSigned(ax, nx, ay, ny)
	if ok {
		m, ok = scaleDown(m, p.down)
	}
	if !ok {
		return p.bigRow(x, y)
	}
	return p.finish(m, neg)
}

// addSigned adds two sign-magnitude values.
func addSigned(a u128, na bool, b u128, nb bool) (u128, bool, bool) {
	if na == nb {
		m, ok := add128(a, b)
		return m, na, ok
	}
	if a.less(b) {
		return sub128(b, a), nb, true
	}
	return sub128(a, b), na, true
}

func (p *decPlan) mulRow(x, y decimal128.Num) (decimal128.Num, uint8) {
	mx, nx := mag(x)
	my, ny := mag(y)
	m, ok := mul128(mx, my)
	if ok {
		m, ok = scaleDown(m, p.down)
	}
	if !ok {
		return p.bigRow(x, y)
	}
	return p.finish(m, nx != ny)
}

func (p *decPlan) divRow(x, y decimal128.Num) (decimal128.Num, uint8) {
	mx, nx := mag(x)
	my, ny := mag(y)
	if my.isZero() {
		return decimal128.Num{}, decNull
	}
	num, den, ok := mx, my, true
	if p.e >= 0 {
		num, ok = scaleUp(mx, p.e)
	} else {
		den, ok = scaleUp(my, -p.e)
	}
	var q u128
	if ok {
		q, ok = divRound(num, den)
	}
	if !ok {
		return p.bigRow(x, y)
	}
	return p.finish(q, nx != ny)
}

func (p *decPlan) modRow(x, y decimal128.Num) (decimal128.Num, uint8) {
	mx, nx := mag(x)
	my, _ := mag(y)
	ax, ok1 := scaleUp(mx, p.ka)
	ay, ok2 := scaleUp(my, p.kb)
	if !ok1 || !ok2 || ay.hi != 0 {
		return p.bigRow(x, y)
	}
	if ay.isZero() {
		return decimal128.Num{}, decNull
	}
	_, r := divmod64(ax, ay.lo)
	return p.finish(u128{lo: r}, nx)
}

// bigRow computes one row exactly with math/big.
func (p *decPlan) bigRow(x, y decimal128.Num) (decimal128.Num, uint8) {
	bx, by := x.BigInt(), y.BigInt()
	var r *big.Int
	switch p.op {
	case opAdd, opSub:
		bx.Mul(bx, bigPow10(p.ka))
		by.Mul(by, bigPow10(p.kb))
		if p.op == opSub {
			by.Neg(by)
		}
		r = roundQuo(bx.Add(bx, by), bigPow10(p.down))
	case opMul:
		r = roundQuo(bx.Mul(bx, by), bigPow10(p.down))
	case opDiv:
		if by.Sign() == 0 {
			return decimal128.Num{}, decNull
		}
		if p.e >= 0 {
			bx.Mul(bx, bigPow10(p.e))
		} else {
			by.Mul(by, bigPow10(-p.e))
		}
		r = roundQuo(bx, by)
	case opMod:
		bx.Mul(bx, bigPow10(p.ka))
		by.Mul(by, bigPow10(p.kb))
		if by.Sign() == 0 {
			return decimal128.Num{}, decNull
		}
		r = bx.Rem(bx, by)
	}
	return p.fromBigResult(r)
}

func (p *decPlan) fromBigResult(r *big.Int) (decimal128.Num, uint8) {
	m, ok := fromBig(new(big.Int).Abs(r))
	if !ok {
		return decimal128.Num{}, decOverflow
	}
	return p.finish(m, r.Sign() < 0)
}

// roundQuo divides signed a by positive-or-negative d, rounding half away
// from zero.
func roundQuo(a, d *big.Int) *big.Int {
	q := bigDivRound(new(big.Int).Abs(a), new(big.Int).Abs(d))
	if a.Sign()*d.Sign() < 0 {
		q.Neg(q)
	}
	return q
}
