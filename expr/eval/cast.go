package eval

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// The cast matrix (from → to):
//
//	bool, int32, int64, float32, float64, decimal ↔ each other
//	    ints widen freely and narrow with a range check; float → int rounds
//	    half to even (PostgreSQL); decimal → int rounds half away from
//	    zero; → decimal is exact or fails, rounding half away from zero
//	    when the target scale is smaller (floats via their shortest
//	    decimal form); → bool is "<> 0"; bool → number is 1 or 0.
//	anything → string
//	    bool true/false, dates YYYY-MM-DD, timestamps
//	    "2006-01-02 15:04:05.999999", decimals with exactly their scale,
//	    floats in shortest form (PostgreSQL's: 1e+20, 0.1, NaN, Infinity).
//	string → anything
//	    after trimming whitespace; ints and floats as strconv reads them,
//	    decimals as [sign]digits[.digits][e±n], bools as PostgreSQL
//	    (true/false/t/f/yes/no/y/n/on/off/1/0), dates YYYY-M-D (or a
//	    timestamp, whose date is kept), timestamps as types.ParseTimestamp;
//	    a failure is a *CastError, never NULL.
//	date ↔ timestamp
//	    a date is its midnight; a timestamp's date is floor(µs / day).
//
// buildCast compiles a cast; a cast to the argument's own type vanishes.
func buildCast(c *compiler, e *expr.Expr, args []node) (node, error) {
	if err := wantArity(e, 1, 1); err != nil {
		return nil, err
	}
	from, to := e.Args[0].Type, e.Type
	switch {
	case from == to:
		return args[0], nil
	case from.ID == types.Null:
		return &litNode{val: types.NullValue(to)}, nil
	}
	k, err := castKernel(from, to)
	if err != nil {
		return nil, err
	}
	flags := strict
	if from.ID == types.String {
		flags |= liftable
	}
	return newCall(e.Name, to, args, k, flags, 0), nil
}

func castKernel(from, to types.Type) (kernel, error) {
	switch {
	case to.ID == types.String:
		return formatKernel(from), nil
	case from.ID == types.String:
		return parseKernel(to), nil
	case isTemporal(from) && isTemporal(to):
		return temporalKernel(to), nil
	case isNumberLike(from) && isNumberLike(to):
		return numericCast(from, to), nil
	}
	return nil, invalidf("cannot cast %s to %s", from, to)
}

func isNumberLike(t types.Type) bool { return t.IsNumeric() || t.ID == types.Bool }

// temporalKernel: date → timestamp (midnight) and timestamp → date.
func temporalKernel(to types.Type) kernel {
	return func(b *batch, args []datum) (arrow.Array, error) {
		a := args[0].arr
		valid, nulls := validAnd(b.mem, b.n, a)
		if to.ID == types.Date {
			buf, out := allocFixed[int32](b.mem, b.n)
			for i, v := range values[int64](a) {
				out[i] = int32(floorDiv(v, usPerDay))
			}
			return fixedArray(to, b.n, buf, valid, nulls), nil
		}
		buf, out := allocFixed[int64](b.mem, b.n)
		for i, v := range values[int32](a) {
			out[i] = int64(v) * usPerDay
			if (v > maxTimestampDay || v < -maxTimestampDay) && a.IsValid(i) {
				buf.Release()
				return nil, castRangeError(string(appendDate(nil, int64(v))), to)
			}
		}
		return fixedArray(to, b.n, buf, valid, nulls), nil
	}
}

// maxTimestampDay is the last day whose midnight fits int64 µs.
const maxTimestampDay = int32(106751991)
