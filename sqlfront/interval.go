package sqlfront

import (
	"strconv"
	"strings"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/sqlfront/ast"
	"github.com/drover-etl/drover/types"
)

// fnAddInterval is add_interval(x, months, days, micros), which adds a
// calendar interval to a date or timestamp (expr.FnAddInterval of the
// function registry).
const fnAddInterval = "add_interval"

// intervalArith handles x ± INTERVAL ... and INTERVAL ... + x; ok is
// false when neither side of b is an interval.
func (c *conv) intervalArith(b *ast.Binary) (*expr.Expr, bool, error) {
	if b.Op != ast.OpAdd && b.Op != ast.OpSub {
		return nil, false, nil
	}
	base, ivNode := b.L, b.R
	if iv, ok := b.L.(*ast.Interval); ok && b.Op == ast.OpAdd {
		base, ivNode = b.R, iv
	}
	iv, ok := ivNode.(*ast.Interval)
	if !ok {
		return nil, false, nil
	}
	x, err := c.convert(base)
	if err != nil {
		return nil, true, err
	}
	e, err := c.addInterval(x, iv, b.Op == ast.OpSub)
	return e, true, err
}

// addInterval adds (or subtracts) iv to x as add_interval(x, months,
// days, micros); whole days and weeks may be computed (INTERVAL n DAY).
func (c *conv) addInterval(x *expr.Expr, iv *ast.Interval, sub bool) (*expr.Expr, error) {
	if iv.Unit == "DAY" || iv.Unit == "WEEK" {
		if iv.ToUnit == "" {
			return c.addDays(x, iv, sub)
		}
	}
	months, days, micros, err := intervalParts(iv)
	if err != nil {
		return nil, err
	}
	if months == 0 && micros == 0 {
		// Whole days, as INTERVAL '3 days': as for DAY above.
		return c.addDays(x, &ast.Interval{Pos: iv.Pos, Value: &ast.Literal{Kind: ast.LitInt, Text: strconv.FormatInt(days, 10)}, Unit: "DAY"}, sub)
	}
	if sub {
		months, days, micros = -months, -days, -micros
	}
	return expr.Call(fnAddInterval, x, int64Lit(months), int64Lit(days), int64Lit(micros)), nil
}

// addDays: x + INTERVAL n DAY adds n days, n any expression.
func (c *conv) addDays(x *expr.Expr, iv *ast.Interval, sub bool) (*expr.Expr, error) {
	var n *expr.Expr
	if lit, ok := iv.Value.(*ast.Literal); ok && lit.Kind == ast.LitString {
		v, err := strconv.ParseInt(strings.TrimSpace(lit.Text), 10, 64)
		if err != nil {
			return nil, parseErr("interval value %q is not a whole number (in %s)", lit.Text, iv)
		}
		n = int64Lit(v)
	} else {
		var err error
		if n, err = c.convert(iv.Value); err != nil {
			return nil, err
		}
	}
	if iv.Unit == "WEEK" {
		n = expr.Call(expr.FnMul, n, int64Lit(7))
	}
	if sub {
		n = expr.Call(expr.FnNeg, n)
	}
	// add_interval keeps a DATE a DATE and a TIMESTAMP a TIMESTAMP.
	return expr.Call(fnAddInterval, x, int64Lit(0), n, int64Lit(0)), nil
}

// unitParts are the months, days and microseconds of one unit.
var unitParts = map[string][3]int64{
	"YEAR": {12, 0, 0}, "QUARTER": {3, 0, 0}, "MONTH": {1, 0, 0},
	"WEEK": {0, 7, 0}, "DAY": {0, 1, 0},
	"HOUR": {0, 0, 3_600_000_000}, "MINUTE": {0, 0, 60_000_000}, "SECOND": {0, 0, 1_000_000},
	"MILLISECOND": {0, 0, 1_000}, "MICROSECOND": {0, 0, 1},
}

// intervalParts computes a constant interval: INTERVAL '3' MONTH,
// INTERVAL 3 MONTH, INTERVAL '1 year 2 months', INTERVAL '1-2' YEAR TO
// MONTH.
func intervalParts(iv *ast.Interval) (months, days, micros int64, err error) {
	text, ok := intervalText(iv.Value)
	if !ok {
		return 0, 0, 0, unsupported("not supported: INTERVAL with a computed value and unit %s (in %s); only DAY and WEEK take expressions", iv.Unit, iv)
	}
	switch {
	case iv.ToUnit == "MONTH" && iv.Unit == "YEAR":
		y, m, found := strings.Cut(strings.TrimSpace(text), "-")
		yn, err1 := strconv.ParseInt(y, 10, 64)
		mn, err2 := strconv.ParseInt(m, 10, 64)
		if !found || err1 != nil || err2 != nil {
			return 0, 0, 0, parseErr("INTERVAL %q YEAR TO MONTH needs 'years-months' (in %s)", text, iv)
		}
		return yn*12 + mn, 0, 0, nil
	case iv.ToUnit != "":
		return 0, 0, 0, unsupported("not supported: INTERVAL ... %s TO %s (in %s)", iv.Unit, iv.ToUnit, iv)
	case iv.Unit != "":
		text += " " + iv.Unit
	}
	return parseIntervalText(text, iv)
}

// intervalText is the literal value of an interval as text.
func intervalText(v ast.Expr) (string, bool) {
	switch x := v.(type) {
	case *ast.Literal:
		return x.Text, x.Kind == ast.LitString || x.Kind == ast.LitInt
	case *ast.Unary:
		if lit, ok := x.X.(*ast.Literal); ok && x.Op == ast.OpNeg && lit.Kind == ast.LitInt {
			return "-" + lit.Text, true
		}
	}
	return "", false
}

// parseIntervalText reads "n unit [n unit ...]".
func parseIntervalText(text string, iv *ast.Interval) (months, days, micros int64, err error) {
	fields := strings.Fields(strings.ToUpper(text))
	if len(fields) == 0 || len(fields)%2 != 0 {
		return 0, 0, 0, parseErr("malformed interval %q (in %s); write it like '3 days' or '1 year 2 months'", text, iv)
	}
	for i := 0; i < len(fields); i += 2 {
		n, err := strconv.ParseInt(fields[i], 10, 64)
		unit := strings.TrimSuffix(fields[i+1], "S")
		parts, ok := unitParts[unit]
		if err != nil || !ok {
			return 0, 0, 0, parseErr("malformed interval %q (in %s); write it like '3 days' or '1 year 2 months'", text, iv)
		}
		months += n * parts[0]
		days += n * parts[1]
		micros += n * parts[2]
	}
	return months, days, micros, nil
}

func int64Lit(n int64) *expr.Expr { return expr.Lit(types.Int64Value(n)) }
