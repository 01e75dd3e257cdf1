package sqlfront

import (
	"strconv"
	"strings"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/sqlfront/ast"
	"github.com/drover-etl/drover/types"
)

// canonicalFunc is the one place a SQL function name becomes Drover's
// name. Unknown names pass through: the binder reports them with a
// suggestion. (The function registry replaces the map here.)
func canonicalFunc(name string) string {
	if canon, ok := expr.LookupFunction(name); ok {
		return canon
	}
	return name
}

// funcRewrites handle calls whose shape changes on the way.
var funcRewrites map[string]func(c *conv, x *ast.FuncCall) (*expr.Expr, error)

func init() {
	funcRewrites = map[string]func(c *conv, x *ast.FuncCall) (*expr.Expr, error){
		"date_add": (*conv).convertDateAdd, "adddate": (*conv).convertDateAdd,
		"date_sub": (*conv).convertDateAdd, "subdate": (*conv).convertDateAdd,
		"if":     (*conv).convertIf,
		"concat": (*conv).convertConcat,
		"pmod":   (*conv).convertPmod,
		"trunc":  (*conv).convertTrunc,
	}
}

func (c *conv) convertFunc(x *ast.FuncCall) (*expr.Expr, error) {
	if len(x.WithinGroup) > 0 {
		return c.withinGroup(x)
	}
	if x.Over != nil {
		return c.window(x)
	}
	if x.Schema == "" && (x.Name == "grouping" || x.Name == "grouping_id") {
		args, err := c.convertAll(x.Args...)
		return expr.Call(groupingCall, args...), err
	}
	if x.Schema != "" {
		// schema.fn(...) is a plugin function; the binder resolves it.
		args, err := c.convertAll(x.Args...)
		if err != nil {
			return nil, err
		}
		return expr.Call(x.Schema+"."+x.Name, args...), nil
	}
	if _, ok := expr.IsAggregate(canonicalFunc(x.Name)); ok || knownAggregates[x.Name] {
		return c.convertAgg(x)
	}
	if x.Star || x.Distinct {
		return nil, parseErr("%s is not an aggregate; * and DISTINCT belong in aggregate calls (in %s)", x.Name, x)
	}
	if rw, ok := funcRewrites[x.Name]; ok {
		return rw(c, x)
	}
	args, err := c.convertAll(x.Args...)
	if err != nil {
		return nil, err
	}
	if _, known := expr.LookupFunction(x.Name); !known && len(args) == 1 {
		// isodow(d), epoch(ts), isoyear(d) …: DuckDB's shorthands of date_part.
		if unit, ok := expr.NormalizeDatePart(x.Name); ok {
			return expr.Call(expr.FnDatePart, expr.Lit(types.StringValue(unit)), args[0]), nil
		}
	}
	return expr.Call(canonicalFunc(x.Name), args...), nil
}

// convertPmod: Spark's pmod(a, b), the remainder with the sign of b:
// ((a % b) + b) % b.
func (c *conv) convertPmod(x *ast.FuncCall) (*expr.Expr, error) {
	if len(x.Args) != 2 {
		return nil, parseErr("pmod takes 2 arguments (in %s)", x)
	}
	args, err := c.convertAll(x.Args...)
	if err != nil {
		return nil, err
	}
	a, b := args[0], args[1]
	return expr.Call(expr.FnMod, expr.Call(expr.FnAdd, expr.Call(expr.FnMod, a, b), b.Clone()), b.Clone()), nil
}

// sparkTruncUnits are the formats of Spark's trunc(date, fmt).
var sparkTruncUnits = map[string]string{
	"YEAR": "year", "YYYY": "year", "YY": "year", "QUARTER": "quarter", "Q": "quarter",
	"MONTH": "month", "MON": "month", "MM": "month", "WEEK": "week",
}

// convertTrunc: trunc(x[, digits]) truncates a number; Spark's trunc(date,
// 'MM') — a string format — truncates a date to that unit, as a DATE.
func (c *conv) convertTrunc(x *ast.FuncCall) (*expr.Expr, error) {
	args, err := c.convertAll(x.Args...)
	if err != nil {
		return nil, err
	}
	if len(x.Args) == 2 {
		if lit, ok := x.Args[1].(*ast.Literal); ok && lit.Kind == ast.LitString {
			unit, ok := sparkTruncUnits[strings.ToUpper(lit.Text)]
			if !ok {
				return nil, planErr("trunc format %q is not one of YEAR, YYYY, YY, QUARTER, Q, MONTH, MON, MM, WEEK (in %s)", lit.Text, x)
			}
			return expr.Cast(expr.Call(expr.FnDateTrunc, expr.Lit(types.StringValue(unit)), args[0]), types.DateType), nil
		}
	}
	return expr.Call(canonicalFunc(x.Name), args...), nil
}

// convertDateAdd: date_add(d, n) adds n days; date_add(d, INTERVAL ...)
// adds the interval; date_sub and subdate subtract.
func (c *conv) convertDateAdd(x *ast.FuncCall) (*expr.Expr, error) {
	if len(x.Args) != 2 {
		return nil, parseErr("%s takes a date and a number of days or an interval (in %s)", x.Name, x)
	}
	sub := x.Name == "date_sub" || x.Name == "subdate"
	d, err := c.convert(x.Args[0])
	if err != nil {
		return nil, err
	}
	if iv, ok := x.Args[1].(*ast.Interval); ok {
		return c.addInterval(d, iv, sub)
	}
	n, err := c.convert(x.Args[1])
	if err != nil {
		return nil, err
	}
	if sub {
		n = expr.Call(expr.FnNeg, n)
	}
	return expr.Call(expr.FnDateAdd, d, n), nil
}

var extractFields = map[string]string{
	"YEAR": expr.FnYear, "MONTH": expr.FnMonth, "DAY": expr.FnDay, "HOUR": expr.FnHour,
}

func (c *conv) convertExtract(x *ast.Extract) (*expr.Expr, error) {
	v, err := c.convert(x.X)
	if err != nil {
		return nil, err
	}
	if fn, ok := extractFields[x.Field]; ok {
		return expr.Call(fn, v), nil
	}
	unit, ok := expr.NormalizeDatePart(x.Field)
	if !ok {
		return nil, unsupported("not supported: EXTRACT(%s ...); the fields are %s", x.Field, strings.Join(expr.DatePartUnits, ", "))
	}
	return expr.Call(expr.FnDatePart, expr.Lit(types.StringValue(unit)), v), nil
}

// convertTrim: TRIM removes spaces; LEADING and TRAILING are ltrim and
// rtrim.
func (c *conv) convertTrim(x *ast.Trim) (*expr.Expr, error) {
	v, err := c.convert(x.X)
	if err != nil {
		return nil, err
	}
	args := []*expr.Expr{v}
	if x.Chars != nil {
		chars, err := c.convert(x.Chars)
		if err != nil {
			return nil, err
		}
		args = append(args, chars)
	}
	fn := expr.FnTrim
	switch x.Where {
	case "LEADING":
		fn = expr.FnLTrim
	case "TRAILING":
		fn = expr.FnRTrim
	}
	return expr.Call(fn, args...), nil
}

// convertIf: IF(c, a, b) is CASE WHEN c THEN a ELSE b END.
func (c *conv) convertIf(x *ast.FuncCall) (*expr.Expr, error) {
	if len(x.Args) != 3 {
		return nil, parseErr("IF takes 3 arguments (in %s)", x)
	}
	args, err := c.convertAll(x.Args...)
	if err != nil {
		return nil, err
	}
	return expr.Call(expr.FnCase, args...), nil
}

// isNonNullLiteral: count(1) counts rows like count(*).
func isNonNullLiteral(n ast.Expr) bool {
	switch x := n.(type) {
	case *ast.Literal:
		return x.Kind != ast.LitNull
	case *ast.TypedLiteral:
		return true
	}
	return false
}

// convertConcat: concat(a, b, ...) skips NULL arguments, as in DuckDB
// (the || operator does not): each argument is COALESCE(CAST(x AS
// VARCHAR), ”).
func (c *conv) convertConcat(x *ast.FuncCall) (*expr.Expr, error) {
	args, err := c.convertAll(x.Args...)
	if err != nil {
		return nil, err
	}
	for i, a := range args {
		args[i] = expr.Call(expr.FnCoalesce, expr.Cast(a, types.StringType), expr.Lit(types.StringValue("")))
	}
	return expr.Call(expr.FnConcat, args...), nil
}

// withinGroup reads the ordered-set aggregates: percentile_cont(p) WITHIN
// GROUP (ORDER BY x) is quantile_cont(x, p) (DESC: the 1 − p quantile),
// and likewise percentile_disc.
func (c *conv) withinGroup(x *ast.FuncCall) (*expr.Expr, error) {
	canon := canonicalFunc(x.Name)
	if canon != "quantile_cont" && canon != "quantile_disc" {
		return nil, unsupported("not supported: WITHIN GROUP with %s (in %s); percentile_cont and percentile_disc take it", x.Name, snippet(x))
	}
	if len(x.WithinGroup) != 1 || len(x.Args) != 1 || x.Over != nil || x.Distinct {
		return nil, unsupported("not supported: %s (one fraction and one ORDER BY key are)", snippet(x))
	}
	frac := x.Args[0]
	if x.WithinGroup[0].Desc && canon == "quantile_disc" {
		// The discrete quantile picks a row by rounding a position, which
		// does not mirror exactly.
		return nil, unsupported("not supported: percentile_disc ... ORDER BY ... DESC in %s; use ascending order and 1 - fraction", snippet(x))
	}
	if x.WithinGroup[0].Desc {
		lit, ok := frac.(*ast.Literal)
		if !ok {
			return nil, unsupported("not supported: a computed fraction with ORDER BY ... DESC in %s", snippet(x))
		}
		f, err := strconv.ParseFloat(lit.Text, 64)
		if err != nil {
			return nil, unsupported("not supported: a computed fraction with ORDER BY ... DESC in %s", snippet(x))
		}
		frac = &ast.Literal{Pos: lit.Pos, Kind: ast.LitFloat, Text: strconv.FormatFloat(1-f, 'g', -1, 64)}
	}
	call := *x
	call.Name = canon
	call.Args = []ast.Expr{x.WithinGroup[0].Expr, frac}
	call.WithinGroup = nil
	return c.convertAgg(&call)
}
