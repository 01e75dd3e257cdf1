package textcol

import (
	"bytes"
	"errors"
	"math/big"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// Errors of ParseDecimal; callers add the offending text.
var (
	ErrSyntax   = errors.New("malformed number")
	ErrOverflow = errors.New("value out of range")
)

// ParseDecimal reads decimal text (optional sign, digits, optional
// fraction, optional exponent) into the unscaled value of decimal(prec,
// scale). It never goes through float64, so "0.1" is exactly 1 at scale 1.
// Fractional digits beyond scale round half away from zero, like a SQL CAST;
// a value needing more than prec digits is ErrOverflow.
func ParseDecimal(b []byte, prec, scale int32) (decimal128.Num, error) {
	orig := b
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		b = b[1:]
	}
	var acc digitAcc
	digits, frac, seenDot, roundUp := 0, int32(0), false, false
	for _, c := range b {
		switch {
		case c == '.' && !seenDot:
			seenDot = true
		case c >= '0' && c <= '9':
			digits++
			if !seenDot || frac < scale {
				acc.push(c - '0')
				frac += b2i(seenDot)
			} else if frac == scale && !acc.dropped {
				acc.dropped, roundUp = true, c >= '5'
			}
		case c == 'e' || c == 'E':
			return parseDecimalExp(orig, prec, scale)
		default:
			return decimal128.Num{}, ErrSyntax
		}
	}
	if digits == 0 {
		return decimal128.Num{}, ErrSyntax
	}
	for ; frac < scale; frac++ {
		acc.push(0)
	}
	return acc.result(neg, roundUp, prec)
}

func b2i(b bool) int32 {
	if b {
		return 1
	}
	return 0
}

// digitAcc accumulates decimal digits into a 128-bit value, 18 at a time
// in a uint64 so that the common short value never touches 128-bit math.
type digitAcc struct {
	acc     decimal128.Num
	u       uint64
	n       int // digits in u
	sig     int // significant digits so far
	dropped bool
}

func (a *digitAcc) push(d byte) {
	if a.sig == 0 && d == 0 {
		return
	}
	a.sig++
	a.u = a.u*10 + uint64(d)
	a.n++
	if a.n == 18 {
		a.flush()
	}
}

func (a *digitAcc) flush() {
	a.acc = a.acc.Mul(decimal128.GetScaleMultiplier(a.n)).Add(decimal128.FromU64(a.u))
	a.u, a.n = 0, 0
}

func (a *digitAcc) result(neg, roundUp bool, prec int32) (decimal128.Num, error) {
	if a.sig > decimal128.MaxPrecision {
		return decimal128.Num{}, ErrOverflow
	}
	a.flush()
	n := a.acc
	if roundUp {
		n = n.Add(decimal128.FromU64(1))
	}
	if !n.FitsInPrecision(prec) {
		return decimal128.Num{}, ErrOverflow
	}
	if neg {
		n = n.Negate()
	}
	return n, nil
}

// parseDecimalExp is the rare path for text with an exponent ("1.5e3"):
// exact rational arithmetic, then the same rounding and range check.
func parseDecimalExp(b []byte, prec, scale int32) (decimal128.Num, error) {
	mant, exp, _ := bytes.Cut(bytes.ToLower(b), []byte("e"))
	if e, err := strconv.Atoi(string(exp)); err != nil || e > 1000 || e < -1000 {
		return decimal128.Num{}, ErrSyntax
	}
	if _, err := ParseDecimal(mant, decimal128.MaxPrecision, 0); errors.Is(err, ErrSyntax) {
		return decimal128.Num{}, ErrSyntax
	}
	r, ok := new(big.Rat).SetString(string(b))
	if !ok {
		return decimal128.Num{}, ErrSyntax
	}
	return RoundRat(r, prec, scale)
}

// RoundRat scales r by 10^scale, rounds half away from zero and checks
// that the result has at most prec digits.
func RoundRat(r *big.Rat, prec, scale int32) (decimal128.Num, error) {
	num := new(big.Int).Mul(r.Num(), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil))
	q, rem := new(big.Int).QuoRem(num, r.Denom(), new(big.Int))
	if rem.Sign() != 0 && new(big.Int).Lsh(new(big.Int).Abs(rem), 1).Cmp(r.Denom()) >= 0 {
		q.Add(q, big.NewInt(int64(num.Sign())))
	}
	if q.BitLen() > 127 {
		return decimal128.Num{}, ErrOverflow
	}
	n := decimal128.FromBigInt(q)
	if !n.FitsInPrecision(prec) {
		return decimal128.Num{}, ErrOverflow
	}
	return n, nil
}
