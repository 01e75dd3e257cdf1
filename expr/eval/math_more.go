package eval

import (
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// Float functions (the binder casts every number to float64). Domain
// errors follow DuckDB: the square root of a negative number, the
// logarithm of zero or a negative number and asin/acos outside [-1, 1]
// fail the row rather than giving NaN or NULL.

// floatFn computes one value; a non-empty message means a domain error.
type floatFn func(x float64) (float64, string)

func init() {
	unary := map[string]floatFn{
		expr.FnSqrt:    domain(math.Sqrt, func(x float64) bool { return x < 0 }, "cannot take the square root of a negative number"),
		expr.FnCbrt:    plainF(math.Cbrt),
		expr.FnExp:     plainF(math.Exp),
		expr.FnLn:      logFn(math.Log),
		expr.FnLog10:   logFn(math.Log10),
		expr.FnLog2:    logFn(math.Log2),
		expr.FnDegrees: plainF(func(x float64) float64 { return x * 180 / math.Pi }),
		expr.FnRadians: plainF(func(x float64) float64 { return x * math.Pi / 180 }),
		expr.FnSin:     plainF(math.Sin),
		expr.FnCos:     plainF(math.Cos),
		expr.FnTan:     plainF(math.Tan),
		expr.FnAsin:    domain(math.Asin, outsideUnit, "asin argument outside [-1, 1]"),
		expr.FnAcos:    domain(math.Acos, outsideUnit, "acos argument outside [-1, 1]"),
		expr.FnAtan:    plainF(math.Atan),
	}
	for name, f := range unary {
		builders[name] = buildFloatUnary(f)
	}
	builders[expr.FnLog] = buildLog
	builders[expr.FnPower] = buildFloatBinary(func(x, y float64) (float64, string) { return math.Pow(x, y), "" })
	builders[expr.FnAtan2] = buildFloatBinary(func(y, x float64) (float64, string) { return math.Atan2(y, x), "" })
	builders[expr.FnPi] = rowBuilder("", 0, fixed1(func([]types.Value) (types.Value, error) { return f64Val(math.Pi), nil }))
	builders[expr.FnSign] = rowBuilder("f", strict, fixed1(signRow))
	builders[expr.FnTrunc] = buildFloorCeil
	builders[expr.FnGreatest] = buildGreatestLeast
	builders[expr.FnLeast] = buildGreatestLeast
}

func plainF(f func(float64) float64) floatFn {
	return func(x float64) (float64, string) { return f(x), "" }
}

func domain(f func(float64) float64, bad func(float64) bool, msg string) floatFn {
	return func(x float64) (float64, string) {
		if bad(x) {
			return 0, msg
		}
		return f(x), ""
	}
}

func outsideUnit(x float64) bool { return x < -1 || x > 1 }

func logFn(f func(float64) float64) floatFn {
	return func(x float64) (float64, string) {
		switch {
		case x == 0:
			return 0, "cannot take the logarithm of zero"
		case x < 0:
			return 0, "cannot take the logarithm of a negative number"
		}
		return f(x), ""
	}
}

func buildFloatUnary(f floatFn) builder {
	return func(c *compiler, e *expr.Expr, args []node) (node, error) {
		if err := floatArgs(e, 1, 1); err != nil {
			return nil, err
		}
		return newCall(e.Name, types.Float64Type, args, floatKernelN(e.Name, func(v []float64) (float64, string) { return f(v[0]) }), strict, 0), nil
	}
}

func buildFloatBinary(f func(x, y float64) (float64, string)) builder {
	return func(c *compiler, e *expr.Expr, args []node) (node, error) {
		if err := floatArgs(e, 2, 2); err != nil {
			return nil, err
		}
		return newCall(e.Name, types.Float64Type, args, floatKernelN(e.Name, func(v []float64) (float64, string) { return f(v[0], v[1]) }), strict, 0b11), nil
	}
}

// buildLog: log(x) is log10 (DuckDB), log(b, x) the base-b logarithm.
func buildLog(c *compiler, e *expr.Expr, args []node) (node, error) {
	if len(args) == 1 {
		return buildFloatUnary(logFn(math.Log10))(c, e, args)
	}
	return buildFloatBinary(func(b, x float64) (float64, string) {
		if b <= 0 || b == 1 {
			return 0, fmt.Sprintf("cannot take the logarithm to base %v", b)
		}
		if _, msg := logFn(math.Log)(x); msg != "" {
			return 0, msg
		}
		return math.Log(x) / math.Log(b), ""
	})(c, e, args)
}

func floatArgs(e *expr.Expr, lo, hi int) error {
	if err := wantArity(e, lo, hi); err != nil {
		return err
	}
	for i := range e.Args {
		if err := wantType(e, i, isType(types.Float64), "float64"); err != nil {
			return err
		}
	}
	return nil
}

// floatKernelN applies f to rows of float64 operands (constants stride 0);
// a domain error on a non-NULL row fails the batch.
func floatKernelN(name string, f func([]float64) (float64, string)) kernel {
	return func(b *batch, args []datum) (arrow.Array, error) {
		ins := make([][]float64, len(args))
		strides := make([]int, len(args))
		arrs := make([]arrow.Array, len(args))
		for i, a := range args {
			ins[i], strides[i] = operand[float64](a)
			arrs[i] = a.arr
		}
		valid, nulls := validAnd(b.mem, b.n, arrs...)
		buf, out := allocFixed[float64](b.mem, b.n)
		row := make([]float64, len(args))
		for i := range out {
			for j := range ins {
				row[j] = ins[j][i*strides[j]]
			}
			v, msg := f(row)
			if msg != "" && (valid == nil || bitSet(valid.Bytes(), i)) {
				buf.Release()
				if valid != nil {
					valid.Release()
				}
				return nil, fmt.Errorf("%w: %s: %s", ErrInvalidArg, name, msg)
			}
			out[i] = v
		}
		return fixedArray(types.Float64Type, b.n, buf, valid, nulls), nil
	}
}

func signRow(a []types.Value) (types.Value, error) {
	x := a[0].F
	switch {
	case x > 0:
		return types.Int32Value(1), nil
	case x < 0:
		return types.Int32Value(-1), nil
	}
	return types.Int32Value(0), nil
}

// buildGreatestLeast skips NULLs: NULL only when every argument is.
func buildGreatestLeast(c *compiler, e *expr.Expr, args []node) (node, error) {
	greatest := e.Name == expr.FnGreatest
	for i := range e.Args {
		if t := e.Args[i].Type; t != e.Type && t.ID != types.Null {
			return nil, invalidf("%s: argument %d is %s, want %s", e.Name, i+1, t, e.Type)
		}
	}
	f := func(a []types.Value) (types.Value, error) {
		best := types.NullValue(e.Type)
		for _, v := range a {
			if v.Null {
				continue
			}
			if best.Null {
				best = v
				continue
			}
			c := types.Compare(v, best)
			if (greatest && c > 0) || (!greatest && c < 0) {
				best = v
			}
		}
		return best, nil
	}
	return rowCall(e, args, f, 0), nil
}
