package eval

import (
	"fmt"
	"math"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

type datePart uint8

const (
	partYear datePart = iota
	partMonth
	partDay
	partHour
	partDayOfWeek
)

var dateParts = map[string]datePart{
	expr.FnYear: partYear, expr.FnMonth: partMonth, expr.FnDay: partDay,
	expr.FnHour: partHour, expr.FnDayOfWeek: partDayOfWeek,
}

func buildExtract(c *compiler, e *expr.Expr, args []node) (node, error) {
	if err := wantArity(e, 1, 1); err != nil {
		return nil, err
	}
	if err := wantType(e, 0, isTemporal, "date or timestamp"); err != nil {
		return nil, err
	}
	ts := e.Args[0].Type.ID == types.Timestamp
	return newCall(e.Name, types.Int32Type, args, extractKernel(dateParts[e.Name], ts), strict, 0), nil
}

func extractKernel(part datePart, ts bool) kernel {
	return func(b *batch, args []datum) (arrow.Array, error) {
		a := args[0].arr
		buf, out := allocFixed[int32](b.mem, b.n)
		if ts {
			extractLoop(part, values[int64](a), true, out)
		} else {
			extractLoop(part, values[int32](a), false, out)
		}
		valid, nulls := validAnd(b.mem, b.n, a)
		return fixedArray(types.Int32Type, b.n, buf, valid, nulls), nil
	}
}

// dayOf turns a date or a timestamp into days since the epoch.
func dayOf(v int64, ts bool) int64 {
	if ts {
		return floorDiv(v, usPerDay)
	}
	return v
}

func extractLoop[T int32 | int64](part datePart, in []T, ts bool, out []int32) {
	switch part {
	case partYear:
		for i, v := range in {
			y, _, _ := civil(dayOf(int64(v), ts))
			out[i] = int32(y)
		}
	case partMonth:
		for i, v := range in {
			_, m, _ := civil(dayOf(int64(v), ts))
			out[i] = int32(m)
		}
	case partDay:
		for i, v := range in {
			_, _, d := civil(dayOf(int64(v), ts))
			out[i] = int32(d)
		}
	case partHour:
		for i, v := range in {
			if ts {
				out[i] = int32(floorMod(int64(v), usPerDay) / usPerHour)
			} else {
				out[i] = 0
			}
		}
	case partDayOfWeek: // 1 = Sunday; 1970-01-01 was a Thursday (5)
		for i, v := range in {
			out[i] = int32(floorMod(dayOf(int64(v), ts)+4, 7) + 1)
		}
	}
}

// truncUnits are date_trunc's units, in µs for the sub-day ones.
var truncUnits = map[string]int64{
	"year": -1, "quarter": -2, "month": -3, "week": -4, "decade": -5, "century": -6, "millennium": -7,
	"day": usPerDay, "hour": usPerHour, "minute": usPerMinute, "second": usPerSecond, "millisecond": 1000,
}

func buildDateTrunc(c *compiler, e *expr.Expr, args []node) (node, error) {
	if err := wantArity(e, 2, 2); err != nil {
		return nil, err
	}
	lit, ok := args[0].(*litNode)
	if !ok || lit.val.Type.ID != types.String || lit.val.Null {
		return nil, invalidf("date_trunc: unit must be a string literal")
	}
	unit, ok := truncUnits[strings.ToLower(strings.TrimSpace(lit.val.S))]
	if !ok {
		return nil, invalidf("date_trunc: unknown unit %q (want millennium, century, decade, year, quarter, month, week, day, hour, minute, second, millisecond)", lit.val.S)
	}
	if err := wantType(e, 1, isTemporal, "date or timestamp"); err != nil {
		return nil, err
	}
	t := e.Args[1].Type
	return newCall(e.Name, t, args[1:], truncKernel(unit, t), strict, 0), nil
}

func truncKernel(unit int64, t types.Type) kernel {
	return func(b *batch, args []datum) (arrow.Array, error) {
		a := args[0].arr
		valid, nulls := validAnd(b.mem, b.n, a)
		if t.ID == types.Date {
			buf, out := allocFixed[int32](b.mem, b.n)
			for i, v := range values[int32](a) {
				out[i] = int32(truncDays(int64(v), unit))
			}
			return fixedArray(t, b.n, buf, valid, nulls), nil
		}
		buf, out := allocFixed[int64](b.mem, b.n)
		for i, v := range values[int64](a) {
			out[i] = truncMicros(v, unit)
		}
		return fixedArray(t, b.n, buf, valid, nulls), nil
	}
}

// truncDays truncates a day number to the start of its year, quarter,
// month or ISO week (Monday); finer units leave a date unchanged.
func truncDays(days, unit int64) int64 {
	if unit > 0 {
		return days
	}
	if unit == -4 {
		return days - floorMod(days+3, 7) // Monday is 0 at days+3
	}
	y, m, _ := civil(days)
	switch unit {
	case -1:
		m = 1
	case -2:
		m = (m-1)/3*3 + 1
	case -5, -6, -7: // decade, century, millennium: years divisible by 10, 100, 1000
		y -= floorMod(y, map[int64]int64{-5: 10, -6: 100, -7: 1000}[unit])
		m = 1
	}
	return daysFromCivil(y, m, 1)
}

func truncMicros(us, unit int64) int64 {
	if unit > 0 {
		return us - floorMod(us, unit)
	}
	return truncDays(floorDiv(us, usPerDay), unit) * usPerDay
}

func buildDateAdd(c *compiler, e *expr.Expr, args []node) (node, error) {
	if err := wantArity(e, 2, 2); err != nil {
		return nil, err
	}
	if err := wantType(e, 0, isType(types.Date), "date"); err != nil {
		return nil, err
	}
	if err := wantType(e, 1, isType(types.Int64), "int64"); err != nil {
		return nil, err
	}
	return newCall(e.Name, types.DateType, args, dateAddKernel, strict, 0b11), nil
}

// dateAddKernel adds days; a date beyond int32 days fails.
func dateAddKernel(b *batch, args []datum) (arrow.Array, error) {
	d, sd := operand[int32](args[0])
	k, sk := operand[int64](args[1])
	buf, out := allocFixed[int32](b.mem, b.n)
	for i := range out {
		r := int64(d[i*sd]) + k[i*sk]
		if (r < math.MinInt32 || r > math.MaxInt32) && isValid(args[0].arr, i) && isValid(args[1].arr, i) {
			buf.Release()
			return nil, overflowError("date_add", types.DateType, fmt.Sprintf("%d days", k[i*sk]))
		}
		out[i] = int32(r)
	}
	valid, nulls := validAnd(b.mem, b.n, args[0].arr, args[1].arr)
	return fixedArray(types.DateType, b.n, buf, valid, nulls), nil
}

func buildDateDiff(c *compiler, e *expr.Expr, args []node) (node, error) {
	if err := wantArity(e, 2, 2); err != nil {
		return nil, err
	}
	for i := range args {
		if err := wantType(e, i, isType(types.Date), "date"); err != nil {
			return nil, err
		}
	}
	return newCall(e.Name, types.Int64Type, args, dateDiffKernel, strict, 0b11), nil
}

// dateDiffKernel is end - start in days.
func dateDiffKernel(b *batch, args []datum) (arrow.Array, error) {
	x, sx := operand[int32](args[0])
	y, sy := operand[int32](args[1])
	buf, out := allocFixed[int64](b.mem, b.n)
	for i := range out {
		out[i] = int64(x[i*sx]) - int64(y[i*sy])
	}
	valid, nulls := validAnd(b.mem, b.n, args[0].arr, args[1].arr)
	return fixedArray(types.Int64Type, b.n, buf, valid, nulls), nil
}
