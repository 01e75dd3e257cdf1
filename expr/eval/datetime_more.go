package eval

import (
	"fmt"
	"math"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// Date functions of the registry, row at a time over µs or days.

func init() {
	builders[expr.FnAddMonths] = rowBuilder("ti", strict, addMonthsMaker)
	builders[expr.FnAddInterval] = rowBuilder("ti", strict, addIntervalMaker)
	builders[expr.FnMonthsBetween] = rowBuilder("ppb", strict, fixed1(monthsBetweenRow))
	builders[expr.FnLastDay] = rowBuilder("d", strict, fixed1(lastDayRow))
	builders[expr.FnMakeDate] = rowBuilder("i", strict, fixed1(makeDateRow))
	dateDiff2 := builders[expr.FnDateDiff]
	builders[expr.FnDateDiff] = func(c *compiler, e *expr.Expr, args []node) (node, error) {
		if len(args) == 3 {
			return buildDateDiffUnit(c, e, args)
		}
		return dateDiff2(c, e, args)
	}
}

// asMicros reads a date (days) or timestamp (µs) value as µs.
func asMicros(v types.Value) int64 {
	if v.Type.ID == types.Date {
		return v.I * usPerDay
	}
	return v.I
}

// addMonthsDays moves a day number by n months, clamping the day of the
// month to the target month's length (Spark's add_months, DuckDB's
// interval arithmetic).
func addMonthsDays(days, n int64) (int64, bool) {
	y, m, d := civil(days)
	total := y*12 + int64(m-1) + n
	ny, nm := floorDiv(total, 12), int(floorMod(total, 12))+1
	if ny < -290000 || ny > 290000 {
		return 0, false
	}
	return daysFromCivil(ny, nm, min(d, daysIn(ny, nm))), true
}

// addMonthsMicros does the same to a timestamp, keeping the time of day.
func addMonthsMicros(us, n int64) (int64, bool) {
	days, tod := floorDiv(us, usPerDay), floorMod(us, usPerDay)
	nd, ok := addMonthsDays(days, n)
	return nd*usPerDay + tod, ok
}

func addMonthsMaker(e *expr.Expr, _ []node) (rowFn, error) {
	isDate := e.Type.ID == types.Date
	return func(a []types.Value) (types.Value, error) {
		if isDate {
			d, ok := addMonthsDays(a[0].I, a[1].I)
			return dateResult("add_months", d, ok)
		}
		us, ok := addMonthsMicros(a[0].I, a[1].I)
		if !ok {
			return types.Value{}, overflowError("add_months", types.TimestampType, fmt.Sprintf("%d months", a[1].I))
		}
		return types.TimestampValue(us), nil
	}, nil
}

func dateResult(op string, d int64, ok bool) (types.Value, error) {
	if !ok || d < math.MinInt32 || d > math.MaxInt32 {
		return types.Value{}, overflowError(op, types.DateType, fmt.Sprintf("%d days", d))
	}
	return types.DateValue(int32(d)), nil
}

// addIntervalMaker: months, then days, then µs. A DATE result (the binder
// decided micros is 0) stays in days.
func addIntervalMaker(e *expr.Expr, _ []node) (rowFn, error) {
	if e.Type.ID == types.Date {
		return func(a []types.Value) (types.Value, error) {
			d, ok := addMonthsDays(a[0].I, a[1].I)
			if ok {
				d, ok = addInt64(d, a[2].I)
			}
			return dateResult("add_interval", d, ok)
		}, nil
	}
	return func(a []types.Value) (types.Value, error) {
		us, ok := addMonthsMicros(asMicros(a[0]), a[1].I)
		if ok {
			var dd int64
			dd, ok = mulInt64(a[2].I, usPerDay)
			if ok {
				us, ok = addInt64(us, dd)
			}
		}
		if ok {
			us, ok = addInt64(us, a[3].I)
		}
		if !ok {
			return types.Value{}, overflowError("add_interval", types.TimestampType,
				fmt.Sprintf("%d months %d days %d µs", a[1].I, a[2].I, a[3].I))
		}
		return types.TimestampValue(us), nil
	}, nil
}

func addInt64(a, b int64) (int64, bool) {
	c := a + b
	return c, (c > a) == (b > 0) || b == 0
}

func mulInt64(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	c := a * b
	return c, c/b == a && !(a == -1 && b == math.MinInt64) && !(b == -1 && a == math.MinInt64)
}

// monthsBetweenRow: Spark's months_between(t1, t2[, roundOff]).
func monthsBetweenRow(a []types.Value) (types.Value, error) {
	c1, c2 := splitMicros(a[0].I), splitMicros(a[1].I)
	months := float64((c1.y*12 + int64(c1.m)) - (c2.y*12 + int64(c2.m)))
	last1 := c1.d == daysIn(c1.y, c1.m)
	last2 := c2.d == daysIn(c2.y, c2.m)
	if c1.d == c2.d || (last1 && last2) {
		return f64Val(months), nil
	}
	secs1 := int64(c1.d)*86400 + floorMod(a[0].I, usPerDay)/usPerSecond
	secs2 := int64(c2.d)*86400 + floorMod(a[1].I, usPerDay)/usPerSecond
	diff := months + float64(secs1-secs2)/(31*86400)
	if len(a) < 3 || a[2].B {
		diff = math.Round(diff*1e8) / 1e8
	}
	return f64Val(diff), nil
}

func lastDayRow(a []types.Value) (types.Value, error) {
	y, m, _ := civil(a[0].I)
	return types.DateValue(int32(daysFromCivil(y, m, daysIn(y, m)))), nil
}

// makeDateRow: an impossible date is an error (DuckDB).
func makeDateRow(a []types.Value) (types.Value, error) {
	y, m, d := a[0].I, a[1].I, a[2].I
	if m < 1 || m > 12 || d < 1 || y < -290000 || y > 290000 || d > int64(daysIn(y, int(m))) {
		return types.Value{}, fmt.Errorf("%w: make_date(%d, %d, %d) is not a valid date", ErrInvalidArg, y, m, d)
	}
	return types.DateValue(int32(daysFromCivil(y, int(m), int(d)))), nil
}

// buildDateDiffUnit: date_diff('unit', start, end) counts unit
// boundaries crossed (DuckDB), on days for dates and µs for timestamps.
func buildDateDiffUnit(c *compiler, e *expr.Expr, args []node) (node, error) {
	u, ok := constArg(args, 0)
	if !ok || u.Null || u.Type.ID != types.String {
		return nil, invalidf("date_diff: unit must be a string literal")
	}
	unit, _ := expr.NormalizeDatePart(u.S)
	f, ok := diffFns[unit]
	if !ok {
		return nil, invalidf("date_diff: unknown unit %q", u.S)
	}
	for i := 1; i < 3; i++ {
		if err := wantType(e, i, isTemporal, "date or timestamp"); err != nil {
			return nil, err
		}
	}
	g := func(a []types.Value) (types.Value, error) { return i64Val(f(asMicros(a[1]), asMicros(a[2]))), nil }
	return rowCall(e, args, g, strict), nil
}

// diffFns count boundaries from start to end (µs), as DuckDB's
// date_diff: decades, centuries and millennia divide the year by 10, 100
// and 1000; the day-like units count days, epoch counts seconds.
var diffFns = map[string]func(start, end int64) int64{
	"year":       func(s, e int64) int64 { return yearOf(e) - yearOf(s) },
	"decade":     func(s, e int64) int64 { return yearOf(e)/10 - yearOf(s)/10 },
	"century":    func(s, e int64) int64 { return yearOf(e)/100 - yearOf(s)/100 },
	"millennium": func(s, e int64) int64 { return yearOf(e)/1000 - yearOf(s)/1000 },
	"isoyear": func(s, e int64) int64 {
		ye, _ := isoWeek(floorDiv(e, usPerDay))
		ys, _ := isoWeek(floorDiv(s, usPerDay))
		return ye - ys
	},
	"quarter": func(s, e int64) int64 { return floorDiv(monthIndex(e), 3) - floorDiv(monthIndex(s), 3) },
	"month":   func(s, e int64) int64 { return monthIndex(e) - monthIndex(s) },
	"week": func(s, e int64) int64 {
		return (truncDays(floorDiv(e, usPerDay), -4) - truncDays(floorDiv(s, usPerDay), -4)) / 7
	},
	"day":         unitDiff(usPerDay),
	"dow":         unitDiff(usPerDay),
	"isodow":      unitDiff(usPerDay),
	"doy":         unitDiff(usPerDay),
	"epoch":       unitDiff(usPerSecond),
	"hour":        unitDiff(usPerHour),
	"minute":      unitDiff(usPerMinute),
	"second":      unitDiff(usPerSecond),
	"millisecond": unitDiff(1000),
	"microsecond": unitDiff(1),
}

func unitDiff(unit int64) func(s, e int64) int64 {
	return func(s, e int64) int64 { return floorDiv(e, unit) - floorDiv(s, unit) }
}

func yearOf(us int64) int64 { y, _, _ := civil(floorDiv(us, usPerDay)); return y }

// monthIndex counts months from year 0, so quarters divide evenly.
func monthIndex(us int64) int64 {
	y, m, _ := civil(floorDiv(us, usPerDay))
	return y*12 + int64(m-1)
}
