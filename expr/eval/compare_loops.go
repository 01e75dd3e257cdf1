package eval

import (
	"cmp"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// The comparison loops write a chunk of bools with one plain comparison per
// row (branch-free, one loop per operator so nothing is dispatched per
// row) and then pack the chunk into the output bitmap.

func cmpAS[T cmp.Ordered](op cmpOp, a []T, s T, out []byte) {
	var tmp [chunk]bool
	for base := 0; base < len(a); base += chunk {
		x := a[base:min(base+chunk, len(a))]
		r := tmp[:len(x)]
		switch op {
		case opEq:
			for i, v := range x {
				r[i] = v == s
			}
		case opNe:
			for i, v := range x {
				r[i] = v != s
			}
		case opLt:
			for i, v := range x {
				r[i] = v < s
			}
		case opLe:
			for i, v := range x {
				r[i] = v <= s
			}
		case opGt:
			for i, v := range x {
				r[i] = v > s
			}
		case opGe:
			for i, v := range x {
				r[i] = v >= s
			}
		}
		packBools(out, base, r)
	}
}

func cmpAA[T cmp.Ordered](op cmpOp, a, b []T, out []byte) {
	var tmp [chunk]bool
	for base := 0; base < len(a); base += chunk {
		end := min(base+chunk, len(a))
		x, y := a[base:end], b[base:end]
		r := tmp[:len(x)]
		y = y[:len(x)]
		switch op {
		case opEq:
			for i, v := range x {
				r[i] = v == y[i]
			}
		case opNe:
			for i, v := range x {
				r[i] = v != y[i]
			}
		case opLt:
			for i, v := range x {
				r[i] = v < y[i]
			}
		case opLe:
			for i, v := range x {
				r[i] = v <= y[i]
			}
		case opGt:
			for i, v := range x {
				r[i] = v > y[i]
			}
		case opGe:
			for i, v := range x {
				r[i] = v >= y[i]
			}
		}
		packBools(out, base, r)
	}
}

// cmpFloatAS gives NaN PostgreSQL's order (equal to itself, above every
// number). Against a non-NaN constant only > and >= need a NaN term; a NaN
// constant reduces every operator to a NaN test.
func cmpFloatAS[T float32 | float64](op cmpOp, a []T, s T, out []byte) {
	switch {
	case s != s:
		cmpNaNConst(op, a, out)
	case op == opGt || op == opGe:
		cmpFloatGreater(op == opGe, a, s, out)
	default:
		cmpAS(op, a, s, out)
	}
}

func cmpFloatGreater[T float32 | float64](orEqual bool, a []T, s T, out []byte) {
	var tmp [chunk]bool
	for base := 0; base < len(a); base += chunk {
		x := a[base:min(base+chunk, len(a))]
		r := tmp[:len(x)]
		if orEqual {
			for i, v := range x {
				r[i] = v >= s || v != v
			}
		} else {
			for i, v := range x {
				r[i] = v > s || v != v
			}
		}
		packBools(out, base, r)
	}
}

// cmpNaNConst: x op NaN is "x is NaN" for =, >=; "x is not NaN" for <>, <;
// always true for <=, never for >.
func cmpNaNConst[T float32 | float64](op cmpOp, a []T, out []byte) {
	var tmp [chunk]bool
	want := op == opEq || op == opGe
	for base := 0; base < len(a); base += chunk {
		x := a[base:min(base+chunk, len(a))]
		r := tmp[:len(x)]
		for i, v := range x {
			r[i] = (v != v) == want || op == opLe
		}
		if op == opGt {
			clear(r)
		}
		packBools(out, base, r)
	}
}

func cmpFloatAA[T float32 | float64](op cmpOp, a, b []T, out []byte) {
	var tmp [chunk]bool
	m := cmpMasks[op]
	for base := 0; base < len(a); base += chunk {
		end := min(base+chunk, len(a))
		x, y := a[base:end], b[base:end]
		r := tmp[:len(x)]
		for i, v := range x {
			r[i] = m>>fcmp(v, y[i])&1 != 0
		}
		packBools(out, base, r)
	}
}

// fcmp is a three-way compare (0 less, 1 equal, 2 greater) with NaN equal
// to NaN and greater than everything else.
func fcmp[T float32 | float64](x, y T) uint8 {
	switch {
	case x < y:
		return 0
	case x > y:
		return 2
	case x == y:
		return 1
	}
	xn, yn := x != x, y != y
	switch {
	case xn && yn:
		return 1
	case xn:
		return 2
	}
	return 0
}

// dcmp is a three-way compare of two decimals of the same scale.
func dcmp(x, y decimal128.Num) uint8 {
	xh, yh := x.HighBits(), y.HighBits()
	switch {
	case xh < yh:
		return 0
	case xh > yh:
		return 2
	}
	xl, yl := x.LowBits(), y.LowBits()
	switch {
	case xl < yl:
		return 0
	case xl > yl:
		return 2
	}
	return 1
}

func cmpDecAS(op cmpOp, a []decimal128.Num, s decimal128.Num, out []byte) {
	var tmp [chunk]bool
	m := cmpMasks[op]
	for base := 0; base < len(a); base += chunk {
		x := a[base:min(base+chunk, len(a))]
		r := tmp[:len(x)]
		for i, v := range x {
			r[i] = m>>dcmp(v, s)&1 != 0
		}
		packBools(out, base, r)
	}
}

func cmpDecAA(op cmpOp, a, b []decimal128.Num, out []byte) {
	var tmp [chunk]bool
	m := cmpMasks[op]
	for base := 0; base < len(a); base += chunk {
		end := min(base+chunk, len(a))
		x, y := a[base:end], b[base:end]
		r := tmp[:len(x)]
		for i, v := range x {
			r[i] = m>>dcmp(v, y[i])&1 != 0
		}
		packBools(out, base, r)
	}
}

func cmpStrAS(op cmpOp, a *array.String, s string, out []byte) {
	var tmp [chunk]bool
	n := a.Len()
	for base := 0; base < n; base += chunk {
		r := tmp[:min(chunk, n-base)]
		switch op {
		case opEq:
			for i := range r {
				r[i] = a.Value(base+i) == s
			}
		case opNe:
			for i := range r {
				r[i] = a.Value(base+i) != s
			}
		default:
			m := cmpMasks[op]
			for i := range r {
				r[i] = m>>uint8(cmp.Compare(a.Value(base+i), s)+1)&1 != 0
			}
		}
		packBools(out, base, r)
	}
}

func cmpStrAA(op cmpOp, a, b *array.String, out []byte) {
	var tmp [chunk]bool
	m := cmpMasks[op]
	n := a.Len()
	for base := 0; base < n; base += chunk {
		r := tmp[:min(chunk, n-base)]
		for i := range r {
			r[i] = m>>uint8(cmp.Compare(a.Value(base+i), b.Value(base+i))+1)&1 != 0
		}
		packBools(out, base, r)
	}
}
