package eval

import (
	"math"
	"math/bits"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// Decimal columns of precision ≤ 18 (DECIMAL(15,2) prices and the like)
// hold values that fit int64. For add, sub and mul without a scale cut
// the batch first runs this branch-free int64 loop, which only tracks
// whether every row stayed exact; if any row did not (a value wider than
// 64 bits, an int64 overflow, a result beyond the precision — NULL rows
// included, their slots are arbitrary), the batch is redone by the 128-bit
// loop, which also reports errors.

// fastOK reports whether the plan qualifies for the int64 loop.
func (p *decPlan) fastOK() bool {
	return p.down == 0 && p.ka <= 18 && p.kb <= 18 && (p.op == opAdd || p.op == opSub || p.op == opMul)
}

// fastLoop computes the batch in int64 and reports whether it was exact.
func (p *decPlan) fastLoop(x []decimal128.Num, sx int, y []decimal128.Num, sy int, out []decimal128.Num) bool {
	if p.op == opMul {
		return mulFast(x, sx, y, sy, out, p.limit)
	}
	lim := int64(math.MaxInt64)
	if p.limit.hi == 0 && p.limit.lo < math.MaxInt64 {
		lim = int64(p.limit.lo)
	}
	return addFast(x, sx, y, sy, out, int64(pow10[p.ka].lo), int64(pow10[p.kb].lo), p.op == opSub, lim)
}

// fits64 reports whether a decimal's 128 bits are a sign-extended int64.
func fits64(v decimal128.Num) (int64, bool) {
	lo := int64(v.LowBits())
	return lo, v.HighBits() == lo>>63
}

func addFast(x []decimal128.Num, sx int, y []decimal128.Num, sy int, out []decimal128.Num, ma, mb int64, sub bool, lim int64) bool {
	sign := int64(1)
	if sub {
		sign = -1
	}
	good := true
	for i := range out {
		a, ok1 := fits64(x[i*sx])
		c, ok2 := fits64(y[i*sy])
		av, ok3 := mul64Checked(a, ma)
		cv, ok4 := mul64Checked(c, mb*sign)
		s := av + cv
		good = good && ok1 && ok2 && ok3 && ok4 && (av^s)&(cv^s) >= 0 && s < lim && s > -lim
		out[i] = decimal128.New(s>>63, uint64(s))
	}
	return good
}

func mulFast(x []decimal128.Num, sx int, y []decimal128.Num, sy int, out []decimal128.Num, limit u128) bool {
	good := true
	for i := range out {
		a, ok1 := fits64(x[i*sx])
		c, ok2 := fits64(y[i*sy])
		hi, lo := bits.Mul64(abs64(a), abs64(c))
		m := u128{hi, lo}
		good = good && ok1 && ok2 && m.less(limit)
		out[i] = signed(m, (a^c) < 0)
	}
	return good
}

func abs64(v int64) uint64 {
	m := v >> 63
	return uint64((v ^ m) - m)
}
