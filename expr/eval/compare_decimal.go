package eval

import (
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/types"
)

// Decimals of precision ≤ 18 (DECIMAL(15,2) prices, discounts) hold values
// that fit int64, and both sides of a comparison have the same type (the
// same scale). Such comparisons run chunk by chunk on the low 64 bits as
// int64, with cmpAS/cmpAA's plain loops: a first pass copies the low words
// and checks, branch-free, that every value of the chunk is a
// sign-extended int64; a chunk where one is not (a value beyond its
// declared precision; NULL slots hold arbitrary values too) is compared
// again by the full 128-bit loop. Wider types take the 128-bit loop.

// maxDec64Precision is the widest decimal precision whose values all fit
// int64 (10^18 - 1 < 2^63).
const maxDec64Precision = 18

func cmpDecimal(op cmpOp, t types.Type, l, r datum, out []byte) {
	a := values[decimal128.Num](l.arr)
	fast := t.Precision <= maxDec64Precision
	if r.arr == nil {
		s := r.val.Decimal128()
		if s64, ok := fits64(s); fast && ok {
			cmpDec64AS(op, a, s, s64, out)
			return
		}
		cmpDecAS(op, a, s, out)
		return
	}
	b := values[decimal128.Num](r.arr)
	if fast {
		cmpDec64AA(op, a, b, out)
		return
	}
	cmpDecAA(op, a, b, out)
}

// lows64 copies the low words of x into lo and reports whether every
// value of x is a sign-extended int64 (its high word all copies of the
// low word's sign bit).
func lows64(x []decimal128.Num, lo []int64) bool {
	lo = lo[:len(x)]
	var bad uint64
	for i, v := range x {
		l := int64(v.LowBits())
		lo[i] = l
		bad |= uint64(v.HighBits() ^ l>>63)
	}
	return bad == 0
}

// cmpDec64AS compares a with the constant s, whose int64 value is s64.
func cmpDec64AS(op cmpOp, a []decimal128.Num, s decimal128.Num, s64 int64, out []byte) {
	var lo [chunk]int64
	for base := 0; base < len(a); base += chunk {
		x := a[base:min(base+chunk, len(a))]
		if lows64(x, lo[:]) {
			cmpAS(op, lo[:len(x)], s64, out[base>>3:])
		} else {
			cmpDecAS(op, x, s, out[base>>3:])
		}
	}
}

// cmpDec64AA compares a and b row by row.
func cmpDec64AA(op cmpOp, a, b []decimal128.Num, out []byte) {
	var la, lb [chunk]int64
	for base := 0; base < len(a); base += chunk {
		end := min(base+chunk, len(a))
		x, y := a[base:end], b[base:end]
		if lows64(x, la[:]) && lows64(y, lb[:]) {
			cmpAA(op, la[:len(x)], lb[:len(y)], out[base>>3:])
		} else {
			cmpDecAA(op, x, y, out[base>>3:])
		}
	}
}
