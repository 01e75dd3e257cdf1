package eval

import (
	"math/big"
	"math/bits"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// u128 is an unsigned 128-bit magnitude. Decimal kernels work on
// sign-and-magnitude because rounding half away from zero is symmetric
// there; arrow's own decimal128 helpers go through math/big per call,
// which is far too slow per row.
type u128 struct{ hi, lo uint64 }

// pow10 holds 10^0 … 10^38.
var pow10 = func() (t [39]u128) {
	t[0] = u128{lo: 1}
	for i := 1; i < len(t); i++ {
		t[i], _ = mul64(t[i-1], 10)
	}
	return t
}()

// mag splits a decimal into magnitude and sign.
func mag(x decimal128.Num) (u128, bool) {
	hi, lo := uint64(x.HighBits()), x.LowBits()
	if int64(hi) >= 0 {
		return u128{hi, lo}, false
	}
	lo, borrow := bits.Sub64(0, lo, 0)
	hi, _ = bits.Sub64(0, hi, borrow)
	return u128{hi, lo}, true
}

// signed rebuilds a decimal; callers have checked m against a precision
// limit, so it is below 2^127.
func signed(m u128, neg bool) decimal128.Num {
	if !neg {
		return decimal128.New(int64(m.hi), m.lo)
	}
	lo, borrow := bits.Sub64(0, m.lo, 0)
	hi, _ := bits.Sub64(0, m.hi, borrow)
	return decimal128.New(int64(hi), lo)
}

func (a u128) less(b u128) bool { return a.hi < b.hi || (a.hi == b.hi && a.lo < b.lo) }

func (a u128) isZero() bool { return a.hi|a.lo == 0 }

func add128(a, b u128) (u128, bool) {
	lo, c := bits.Add64(a.lo, b.lo, 0)
	hi, c := bits.Add64(a.hi, b.hi, c)
	return u128{hi, lo}, c == 0
}

// sub128 returns a-b for a >= b.
func sub128(a, b u128) u128 {
	lo, br := bits.Sub64(a.lo, b.lo, 0)
	hi, _ := bits.Sub64(a.hi, b.hi, br)
	return u128{hi, lo}
}

// mul64 multiplies by a 64-bit factor; ok is false on overflow.
func mul64(a u128, m uint64) (u128, bool) {
	h1, lo := bits.Mul64(a.lo, m)
	h2, l2 := bits.Mul64(a.hi, m)
	hi, c := bits.Add64(h1, l2, 0)
	return u128{hi, lo}, h2 == 0 && c == 0
}

// mul128 multiplies two magnitudes; ok is false on overflow.
func mul128(a, b u128) (u128, bool) {
	switch {
	case a.hi == 0:
		return mul64(b, a.lo)
	case b.hi == 0:
		return mul64(a, b.lo)
	}
	return u128{}, false
}

// scaleUp multiplies by 10^k.
func scaleUp(a u128, k int) (u128, bool) {
	if k == 0 {
		return a, true
	}
	return mul128(a, pow10[k])
}

// divmod64 divides by a 64-bit divisor.
func divmod64(a u128, d uint64) (u128, uint64) {
	qhi, r := bits.Div64(0, a.hi, d)
	qlo, r := bits.Div64(r, a.lo, d)
	return u128{qhi, qlo}, r
}

// divRound divides by d rounding half away from zero (magnitudes, so
// "up"). ok is false when d does not fit 64 bits; callers then fall back
// to math/big.
func divRound(a, d u128) (u128, bool) {
	if d.hi != 0 {
		return u128{}, false
	}
	q, r := divmod64(a, d.lo)
	if r >= d.lo-r {
		q, _ = add128(q, u128{lo: 1})
	}
	return q, true
}

// scaleDown divides by 10^k rounding half away from zero.
func scaleDown(a u128, k int) (u128, bool) {
	if k == 0 {
		return a, true
	}
	return divRound(a, pow10[k])
}

func (a u128) big() *big.Int {
	b := new(big.Int).SetUint64(a.hi)
	b.Lsh(b, 64)
	return b.Or(b, new(big.Int).SetUint64(a.lo))
}

// fromBig converts a non-negative big.Int below 2^128.
func fromBig(b *big.Int) (u128, bool) {
	if b.BitLen() > 128 {
		return u128{}, false
	}
	lo := new(big.Int).And(b, new(big.Int).SetUint64(^uint64(0))).Uint64()
	hi := new(big.Int).Rsh(b, 64).Uint64()
	return u128{hi, lo}, true
}

// bigPow10 is 10^k as a big.Int.
func bigPow10(k int) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(k)), nil)
}

// bigDivRound divides magnitudes rounding half away from zero.
func bigDivRound(a, d *big.Int) *big.Int {
	q, r := new(big.Int).QuoRem(a, d, new(big.Int))
	if r.Lsh(r, 1).Cmp(d) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	return q
}
