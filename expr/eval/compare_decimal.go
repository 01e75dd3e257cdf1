package eval

import (
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/types"
)

// Decimals of precision ≤ 18 (DECIMAL(15,2) prices, discounts) hold values
// that fit int64, and both sides of a comparison have the same type (the
// same scale). Such comparisons run chunk by chunk on the low 64 bits as
// int64, one plain loop per operator as in cmpAS/cmpAA, which also
// checks, branch-free, that every value of the chunk is a sign-extended
// int64; a chunk where one is not (a value beyond its declared precision;
// NULL slots hold arbitrary values too) is compared again by the full
// 128-bit loop. Wider types take the 128-bit loop.

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

// cmpDec64AS compares a with the constant s, whose int64 value is s64.
func cmpDec64AS(op cmpOp, a []decimal128.Num, s decimal128.Num, s64 int64, out []byte) {
	var tmp [chunk]bool
	for base := 0; base < len(a); base += chunk {
		x := a[base:min(base+chunk, len(a))]
		r := tmp[:len(x)]
		if cmp64AS(op, x, s64, r) {
			packBools(out, base, r)
		} else {
			cmpDecAS(op, x, s, out[base>>3:])
		}
	}
}

// cmp64AS writes into r each comparison of x's low words with s and
// reports whether every value of x is a sign-extended int64 (else r is
// meaningless). One loop per operator, as in cmpAS.
func cmp64AS(op cmpOp, x []decimal128.Num, s int64, r []bool) bool {
	var bad uint64
	r = r[:len(x)]
	switch op {
	case opEq:
		for i, v := range x {
			l := int64(v.LowBits())
			bad |= uint64(v.HighBits() ^ l>>63)
			r[i] = l == s
		}
	case opNe:
		for i, v := range x {
			l := int64(v.LowBits())
			bad |= uint64(v.HighBits() ^ l>>63)
			r[i] = l != s
		}
	case opLt:
		for i, v := range x {
			l := int64(v.LowBits())
			bad |= uint64(v.HighBits() ^ l>>63)
			r[i] = l < s
		}
	case opLe:
		for i, v := range x {
			l := int64(v.LowBits())
			bad |= uint64(v.HighBits() ^ l>>63)
			r[i] = l <= s
		}
	case opGt:
		for i, v := range x {
			l := int64(v.LowBits())
			bad |= uint64(v.HighBits() ^ l>>63)
			r[i] = l > s
		}
	case opGe:
		for i, v := range x {
			l := int64(v.LowBits())
			bad |= uint64(v.HighBits() ^ l>>63)
			r[i] = l >= s
		}
	}
	return bad == 0
}

// cmpDec64AA compares a and b row by row.
func cmpDec64AA(op cmpOp, a, b []decimal128.Num, out []byte) {
	var tmp [chunk]bool
	for base := 0; base < len(a); base += chunk {
		end := min(base+chunk, len(a))
		x, y := a[base:end], b[base:end]
		r := tmp[:len(x)]
		if cmp64AA(op, x, y, r) {
			packBools(out, base, r)
		} else {
			cmpDecAA(op, x, y, out[base>>3:])
		}
	}
}

// cmp64AA is cmp64AS for two columns.
func cmp64AA(op cmpOp, x, y []decimal128.Num, r []bool) bool {
	var bad uint64
	r, y = r[:len(x)], y[:len(x)]
	switch op {
	case opEq:
		for i, v := range x {
			l, m := int64(v.LowBits()), int64(y[i].LowBits())
			bad |= uint64(v.HighBits()^l>>63) | uint64(y[i].HighBits()^m>>63)
			r[i] = l == m
		}
	case opNe:
		for i, v := range x {
			l, m := int64(v.LowBits()), int64(y[i].LowBits())
			bad |= uint64(v.HighBits()^l>>63) | uint64(y[i].HighBits()^m>>63)
			r[i] = l != m
		}
	case opLt:
		for i, v := range x {
			l, m := int64(v.LowBits()), int64(y[i].LowBits())
			bad |= uint64(v.HighBits()^l>>63) | uint64(y[i].HighBits()^m>>63)
			r[i] = l < m
		}
	case opLe:
		for i, v := range x {
			l, m := int64(v.LowBits()), int64(y[i].LowBits())
			bad |= uint64(v.HighBits()^l>>63) | uint64(y[i].HighBits()^m>>63)
			r[i] = l <= m
		}
	case opGt:
		for i, v := range x {
			l, m := int64(v.LowBits()), int64(y[i].LowBits())
			bad |= uint64(v.HighBits()^l>>63) | uint64(y[i].HighBits()^m>>63)
			r[i] = l > m
		}
	case opGe:
		for i, v := range x {
			l, m := int64(v.LowBits()), int64(y[i].LowBits())
			bad |= uint64(v.HighBits()^l>>63) | uint64(y[i].HighBits()^m>>63)
			r[i] = l >= m
		}
	}
	return bad == 0
}
