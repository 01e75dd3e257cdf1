package sqlfront

import (
	"fmt"

	"github.com/pingcap/tidb/pkg/parser/ast"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// funcNames maps SQL function names (lower-case) to canonical ones where
// the call keeps its arguments as they are.
var funcNames = map[string]string{
	"concat": expr.FnConcat, "lower": expr.FnLower, "lcase": expr.FnLower,
	"upper": expr.FnUpper, "ucase": expr.FnUpper,
	"length": expr.FnLength, "char_length": expr.FnLength, "character_length": expr.FnLength,
	"substr": expr.FnSubstr, "substring": expr.FnSubstr, "mid": expr.FnSubstr,
	"ltrim": expr.FnLTrim, "rtrim": expr.FnRTrim, "replace": expr.FnReplace,
	"starts_with": expr.FnStartsWith, "ends_with": expr.FnEndsWith, "contains": expr.FnContains,
	"abs": expr.FnAbs, "round": expr.FnRound, "floor": expr.FnFloor,
	"ceil": expr.FnCeil, "ceiling": expr.FnCeil,
	"year": expr.FnYear, "month": expr.FnMonth, "day": expr.FnDay, "dayofmonth": expr.FnDay,
	"hour": expr.FnHour, "dayofweek": expr.FnDayOfWeek, "day_of_week": expr.FnDayOfWeek,
	"date_trunc": expr.FnDateTrunc, "datediff": expr.FnDateDiff, "date_diff": expr.FnDateDiff,
	"coalesce": expr.FnCoalesce, "ifnull": expr.FnCoalesce, "nvl": expr.FnCoalesce,
	"nullif":          expr.FnNullIf,
	"drover_date_add": expr.FnDateAdd,
}

// funcRewrites handle calls whose shape changes on the way.
var funcRewrites map[string]func(x *ast.FuncCallExpr) (*expr.Expr, error)

func init() {
	funcRewrites = map[string]func(x *ast.FuncCallExpr) (*expr.Expr, error){
		ast.DateLiteral:      dateLiteral,
		ast.TimestampLiteral: timestampLiteral,
		"drover_cast":        convertCast,
		"drover_date_sub":    convertDateSub,
		"date_add":           convertDateAddInterval,
		"adddate":            convertDateAddInterval,
		"date_sub":           convertDateAddInterval,
		"subdate":            convertDateAddInterval,
		"extract":            convertExtract,
		"trim":               convertTrim,
		"if":                 convertIf,
	}
}

func convertFunc(x *ast.FuncCallExpr) (*expr.Expr, error) {
	name := x.FnName.L
	if x.Schema.L != "" {
		// schema.fn(...) is a plugin function; the binder resolves it.
		args, err := convertAll(x.Args)
		if err != nil {
			return nil, err
		}
		return expr.Call(x.Schema.L+"."+name, args...), nil
	}
	if rw, ok := funcRewrites[name]; ok {
		return rw(x)
	}
	args, err := convertAll(x.Args)
	if err != nil {
		return nil, err
	}
	if canon, ok := funcNames[name]; ok {
		name = canon
	}
	// Unknown names pass through: the binder reports them with a suggestion.
	return expr.Call(name, args...), nil
}

func stringArg(x *ast.FuncCallExpr, i int, what string) (string, error) {
	if i < len(x.Args) {
		if e, err := convert(x.Args[i]); err == nil && e.IsLiteral() && e.Value.Type.ID == types.String {
			return e.Value.S, nil
		}
	}
	return "", fmt.Errorf("%w: %s must be a string literal", ErrSyntax, what)
}

func dateLiteral(x *ast.FuncCallExpr) (*expr.Expr, error) {
	s, err := stringArg(x, 0, "DATE '...'")
	if err != nil {
		return nil, err
	}
	d, err := types.ParseDate(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSyntax, err)
	}
	return expr.Lit(types.DateValue(d)), nil
}

func timestampLiteral(x *ast.FuncCallExpr) (*expr.Expr, error) {
	s, err := stringArg(x, 0, "TIMESTAMP '...'")
	if err != nil {
		return nil, err
	}
	us, err := types.ParseTimestamp(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSyntax, err)
	}
	return expr.Lit(types.TimestampValue(us)), nil
}

// convertCast maps drover_cast(x, 'type') (see normalize) to a Cast.
func convertCast(x *ast.FuncCallExpr) (*expr.Expr, error) {
	if len(x.Args) != 2 {
		return nil, fmt.Errorf("%w: drover_cast takes 2 arguments", ErrSyntax)
	}
	name, err := stringArg(x, 1, "the CAST type")
	if err != nil {
		return nil, err
	}
	t, err := types.Parse(name)
	if err != nil {
		return nil, fmt.Errorf("CAST: %w", err)
	}
	v, err := convert(x.Args[0])
	if err != nil {
		return nil, err
	}
	return expr.Cast(v, t), nil
}

func convertDateSub(x *ast.FuncCallExpr) (*expr.Expr, error) {
	args, err := convertAll(x.Args)
	if err != nil {
		return nil, err
	}
	return expr.Call(expr.FnDateAdd, args[0], expr.Call(expr.FnNeg, args[1])), nil
}

// convertDateAddInterval: DATE_ADD(d, INTERVAL n DAY|WEEK) and friends;
// date_add works in days, so only those units map exactly.
func convertDateAddInterval(x *ast.FuncCallExpr) (*expr.Expr, error) {
	if len(x.Args) != 3 {
		return nil, fmt.Errorf("%w: %s takes a date and an interval", ErrSyntax, x.FnName.O)
	}
	unit, _ := x.Args[2].(*ast.TimeUnitExpr)
	if unit == nil || (unit.Unit != ast.TimeUnitDay && unit.Unit != ast.TimeUnitWeek) {
		return nil, unsupported("%s supports DAY and WEEK intervals only (in %s)", x.FnName.O, sqlText(x))
	}
	args, err := convertAll(x.Args[:2])
	if err != nil {
		return nil, err
	}
	n := args[1]
	if unit.Unit == ast.TimeUnitWeek {
		n = expr.Call(expr.FnMul, n, expr.Lit(types.Int64Value(7)))
	}
	if x.FnName.L == "date_sub" || x.FnName.L == "subdate" {
		n = expr.Call(expr.FnNeg, n)
	}
	return expr.Call(expr.FnDateAdd, args[0], n), nil
}

var extractUnits = map[ast.TimeUnitType]string{
	ast.TimeUnitYear: expr.FnYear, ast.TimeUnitMonth: expr.FnMonth,
	ast.TimeUnitDay: expr.FnDay, ast.TimeUnitHour: expr.FnHour,
}

func convertExtract(x *ast.FuncCallExpr) (*expr.Expr, error) {
	unit, _ := x.Args[0].(*ast.TimeUnitExpr)
	if unit == nil || extractUnits[unit.Unit] == "" {
		return nil, unsupported("EXTRACT supports YEAR, MONTH, DAY and HOUR only (in %s)", sqlText(x))
	}
	v, err := convert(x.Args[1])
	if err != nil {
		return nil, err
	}
	return expr.Call(extractUnits[unit.Unit], v), nil
}

// convertTrim: TiDB spells TRIM(LEADING FROM x) as trim(x, ' ', LEADING).
func convertTrim(x *ast.FuncCallExpr) (*expr.Expr, error) {
	v, err := convert(x.Args[0])
	if err != nil {
		return nil, err
	}
	if len(x.Args) == 1 {
		return expr.Call(expr.FnTrim, v), nil
	}
	if chars, err := stringArg(x, 1, "TRIM characters"); err != nil || chars != " " {
		return nil, unsupported("TRIM removes spaces only (in %s)", sqlText(x))
	}
	fn := expr.FnTrim
	if len(x.Args) == 3 {
		if dir, ok := x.Args[2].(*ast.TrimDirectionExpr); ok {
			switch dir.Direction {
			case ast.TrimLeading:
				fn = expr.FnLTrim
			case ast.TrimTrailing:
				fn = expr.FnRTrim
			}
		}
	}
	return expr.Call(fn, v), nil
}

// convertIf: IF(c, a, b) is CASE WHEN c THEN a ELSE b END.
func convertIf(x *ast.FuncCallExpr) (*expr.Expr, error) {
	if len(x.Args) != 3 {
		return nil, fmt.Errorf("%w: IF takes 3 arguments", ErrSyntax)
	}
	args, err := convertAll(x.Args)
	if err != nil {
		return nil, err
	}
	return expr.Call(expr.FnCase, args...), nil
}
