package eval

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// date_part(unit, x): the unit is a literal the binder normalized (see
// expr.NormalizeDatePart). Dates are read as midnight timestamps.

// partFns compute a field from µs since the epoch.
var partFns = map[string]func(us int64) int64{
	"year":        func(us int64) int64 { y, _, _ := civil(floorDiv(us, usPerDay)); return y },
	"quarter":     func(us int64) int64 { _, m, _ := civil(floorDiv(us, usPerDay)); return int64((m-1)/3 + 1) },
	"month":       func(us int64) int64 { _, m, _ := civil(floorDiv(us, usPerDay)); return int64(m) },
	"day":         func(us int64) int64 { _, _, d := civil(floorDiv(us, usPerDay)); return int64(d) },
	"week":        func(us int64) int64 { _, w := isoWeek(floorDiv(us, usPerDay)); return w },
	"isoyear":     func(us int64) int64 { y, _ := isoWeek(floorDiv(us, usPerDay)); return y },
	"dow":         func(us int64) int64 { return sunday0(floorDiv(us, usPerDay)) },
	"isodow":      func(us int64) int64 { return isoDow(floorDiv(us, usPerDay)) },
	"doy":         dayOfYear,
	"hour":        func(us int64) int64 { return floorMod(us, usPerDay) / usPerHour },
	"minute":      func(us int64) int64 { return floorMod(us, usPerHour) / usPerMinute },
	"second":      func(us int64) int64 { return floorMod(us, usPerMinute) / usPerSecond },
	"millisecond": func(us int64) int64 { return floorMod(us, usPerMinute) / 1000 },
	"microsecond": func(us int64) int64 { return floorMod(us, usPerMinute) },
	"decade":      func(us int64) int64 { y, _, _ := civil(floorDiv(us, usPerDay)); return floorDiv(y, 10) },
	"century":     func(us int64) int64 { y, _, _ := civil(floorDiv(us, usPerDay)); return centuryOf(y) },
	"millennium":  func(us int64) int64 { y, _, _ := civil(floorDiv(us, usPerDay)); return millenniumOf(y) },
}

func dayOfYear(us int64) int64 {
	days := floorDiv(us, usPerDay)
	y, _, _ := civil(days)
	return days - daysFromCivil(y, 1, 1) + 1
}

// centuryOf: the 20th century is 1901-2000 (DuckDB, PostgreSQL).
func centuryOf(y int64) int64 {
	if y > 0 {
		return (y-1)/100 + 1
	}
	return -((-y)/100 + 1)
}

func millenniumOf(y int64) int64 {
	if y > 0 {
		return (y-1)/1000 + 1
	}
	return -((-y)/1000 + 1)
}

func init() {
	builders[expr.FnDatePart] = buildDatePart
}

func buildDatePart(c *compiler, e *expr.Expr, args []node) (node, error) {
	if err := wantArity(e, 2, 2); err != nil {
		return nil, err
	}
	u, ok := constArg(args, 0)
	if !ok || u.Null || u.Type.ID != types.String {
		return nil, invalidf("date_part: unit must be a string literal")
	}
	unit, ok := expr.NormalizeDatePart(u.S)
	if err := wantType(e, 1, isTemporal, "date or timestamp"); err != nil {
		return nil, err
	}
	ts := e.Args[1].Type.ID == types.Timestamp
	if ok && unit == "epoch" {
		return newCall(e.Name, types.Float64Type, args[1:], epochKernel(ts), strict, 0), nil
	}
	f, known := partFns[unit]
	if !ok || !known {
		return nil, invalidf("date_part: unknown unit %q", u.S)
	}
	return newCall(e.Name, types.Int64Type, args[1:], partKernel(f, ts), strict, 0), nil
}

// micros reads a date or timestamp column as µs since the epoch.
func micros(ts bool, i int, dates []int32, stamps []int64) int64 {
	if ts {
		return stamps[i]
	}
	return int64(dates[i]) * usPerDay
}

func temporalValues(a arrow.Array, ts bool) ([]int32, []int64) {
	if ts {
		return nil, values[int64](a)
	}
	return values[int32](a), nil
}

func partKernel(f func(int64) int64, ts bool) kernel {
	return func(b *batch, args []datum) (arrow.Array, error) {
		a := args[0].arr
		dates, stamps := temporalValues(a, ts)
		buf, out := allocFixed[int64](b.mem, b.n)
		for i := range out {
			out[i] = f(micros(ts, i, dates, stamps))
		}
		valid, nulls := validAnd(b.mem, b.n, a)
		return fixedArray(types.Int64Type, b.n, buf, valid, nulls), nil
	}
}

func epochKernel(ts bool) kernel {
	return func(b *batch, args []datum) (arrow.Array, error) {
		a := args[0].arr
		dates, stamps := temporalValues(a, ts)
		buf, out := allocFixed[float64](b.mem, b.n)
		for i := range out {
			out[i] = float64(micros(ts, i, dates, stamps)) / float64(usPerSecond)
		}
		valid, nulls := validAnd(b.mem, b.n, a)
		return fixedArray(types.Float64Type, b.n, buf, valid, nulls), nil
	}
}
