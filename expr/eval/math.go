package eval

import (
	"math"
	"math/big"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

func buildAbs(c *compiler, e *expr.Expr, args []node) (node, error) {
	if err := wantArity(e, 1, 1); err != nil {
		return nil, err
	}
	t := e.Type
	if a := e.Args[0].Type; (a != t && a.ID != types.Null) || !t.IsNumeric() {
		return nil, invalidf("abs(%s) → %s", a, t)
	}
	return newCall(e.Name, t, args, signKernel(t, true), strict, 0), nil
}

// roundable: round, floor and ceil take floats or decimals.
func roundable(t types.Type) bool { return t.IsFloat() || t.ID == types.Decimal }

func buildRound(c *compiler, e *expr.Expr, args []node) (node, error) {
	if err := wantArity(e, 1, 2); err != nil {
		return nil, err
	}
	if err := wantType(e, 0, roundable, "float or decimal"); err != nil {
		return nil, err
	}
	if len(args) == 2 {
		if err := wantType(e, 1, isType(types.Int64), "int64"); err != nil {
			return nil, err
		}
	}
	return newCall(e.Name, e.Type, args, roundKernel(e.Type, roundHalfUp), strict, 0b10), nil
}

// buildFloorCeil builds floor, ceil and trunc, with an optional number of
// digits (Spark's scale argument) as round has.
func buildFloorCeil(c *compiler, e *expr.Expr, args []node) (node, error) {
	if err := wantArity(e, 1, 2); err != nil {
		return nil, err
	}
	if err := wantType(e, 0, roundable, "float or decimal"); err != nil {
		return nil, err
	}
	if len(args) == 2 {
		if err := wantType(e, 1, isType(types.Int64), "int64"); err != nil {
			return nil, err
		}
	}
	mode := map[string]roundMode{expr.FnFloor: roundFloor, expr.FnCeil: roundCeil, expr.FnTrunc: roundTrunc}[e.Name]
	return newCall(e.Name, e.Type, args, roundKernel(e.Type, mode), strict, 0b10), nil
}

type roundMode uint8

const (
	roundHalfUp roundMode = iota // half away from zero
	roundFloor
	roundCeil
	roundTrunc // toward zero
)

// roundKernel rounds to d digits (0 without a second argument), keeping
// the argument's type.
func roundKernel(t types.Type, mode roundMode) kernel {
	return func(b *batch, args []datum) (arrow.Array, error) {
		digits, sd := []int64{0}, 0
		if len(args) > 1 {
			digits, sd = operand[int64](args[1])
		}
		a := args[0].arr
		var arrs = []arrow.Array{a}
		if len(args) > 1 {
			arrs = append(arrs, args[1].arr)
		}
		valid, nulls := validAnd(b.mem, b.n, arrs...)
		switch t.ID {
		case types.Float32:
			return roundFloats[float32](b, t, values[float32](a), digits, sd, mode, valid, nulls), nil
		case types.Float64:
			return roundFloats[float64](b, t, values[float64](a), digits, sd, mode, valid, nulls), nil
		}
		return roundDecimals(b, t, a, digits, sd, mode, valid, nulls)
	}
}

func roundFloats[T float32 | float64](b *batch, t types.Type, in []T, d []int64, sd int, mode roundMode, valid *memory.Buffer, nulls int) arrow.Array {
	buf, out := allocFixed[T](b.mem, b.n)
	for i, v := range in {
		out[i] = T(roundFloat(float64(v), d[i*sd], mode))
	}
	return fixedArray(t, b.n, buf, valid, nulls)
}

// roundFloat rounds x to d decimal digits (d < 0 rounds left of the point).
func roundFloat(x float64, d int64, mode roundMode) float64 {
	f := math.Round
	switch mode {
	case roundFloor:
		f = math.Floor
	case roundCeil:
		f = math.Ceil
	case roundTrunc:
		f = math.Trunc
	}
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0) || d > 308:
		return x
	case d < -308:
		return math.Copysign(0, x)
	case d >= 0:
		p := math.Pow10(int(d))
		if y := x * p; !math.IsInf(y, 0) {
			return f(y) / p
		}
		return x
	}
	p := math.Pow10(int(-d))
	return f(x/p) * p
}

func roundDecimals(b *batch, t types.Type, a arrow.Array, d []int64, sd int, mode roundMode, valid *memory.Buffer, nulls int) (arrow.Array, error) {
	in := values[decimal128.Num](a)
	buf, out := allocFixed[decimal128.Num](b.mem, b.n)
	limit := pow10[t.Precision]
	for i, v := range in {
		k := int64(t.Scale) - d[i*sd]
		r, ok := roundDecimal(v, k, mode, limit)
		if !ok && (valid == nil || bitSet(valid.Bytes(), i)) {
			buf.Release()
			return nil, overflowError("round", t, formatDecimal(v, t.Scale))
		}
		out[i] = r
	}
	return fixedArray(t, b.n, buf, valid, nulls), nil
}

// roundDecimal zeroes the last k digits of x, rounding per mode; the scale
// does not change, so a carry may overflow the precision (ok false).
func roundDecimal(x decimal128.Num, k int64, mode roundMode, limit u128) (decimal128.Num, bool) {
	if k <= 0 {
		return x, true
	}
	m, neg := mag(x)
	if k > 38 {
		if mode == roundHalfUp || mode == roundTrunc || m.isZero() || (mode == roundFloor) != neg {
			return decimal128.Num{}, true
		}
		return decimal128.Num{}, false // ±1 at 10^k can never fit
	}
	q, r := divmodBig(m, pow10[k])
	if up := roundsUp(r, pow10[k], neg, mode); up {
		q, _ = add128(q, u128{lo: 1})
	}
	res, ok := mul128(q, pow10[k])
	if !ok || !res.less(limit) {
		return decimal128.Num{}, false
	}
	return signed(res, neg), true
}

// roundsUp decides whether a magnitude quotient with remainder r of d
// grows by one.
func roundsUp(r, d u128, neg bool, mode roundMode) bool {
	if r.isZero() {
		return false
	}
	switch mode {
	case roundTrunc:
		return false
	case roundFloor:
		return neg
	case roundCeil:
		return !neg
	}
	return !r.less(sub128(d, r))
}

// divmodBig divides magnitudes, through math/big when d exceeds 64 bits.
func divmodBig(a, d u128) (u128, u128) {
	if d.hi == 0 {
		q, r := divmod64(a, d.lo)
		return q, u128{lo: r}
	}
	q, r := new(big.Int).QuoRem(a.big(), d.big(), new(big.Int))
	qq, _ := fromBig(q)
	rr, _ := fromBig(r)
	return qq, rr
}
