package sqlfront

import (
	"strconv"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/sqlfront/ast"
	"github.com/drover-etl/drover/types"
)

// convertLiteral maps a literal. Integers are int64 (the binder narrows
// them to the column they meet; beyond int64 they become decimals),
// numbers with a point are decimals, numbers with an exponent are
// float64, TRUE and FALSE are bools.
func convertLiteral(l *ast.Literal) (*expr.Expr, error) {
	switch l.Kind {
	case ast.LitNull:
		return expr.Lit(types.NullValue(types.NullType)), nil
	case ast.LitBool:
		return expr.Lit(types.BoolValue(l.Text == "true")), nil
	case ast.LitString:
		return expr.Lit(types.StringValue(l.Text)), nil
	case ast.LitInt:
		if n, err := strconv.ParseInt(l.Text, 10, 64); err == nil {
			return expr.Lit(types.Int64Value(n)), nil
		}
		return decimalLiteral(l.Text)
	case ast.LitDecimal:
		return decimalLiteral(l.Text)
	}
	f, err := strconv.ParseFloat(l.Text, 64)
	if err != nil {
		return nil, parseErr("number %s is out of range", l.Text)
	}
	return expr.Lit(types.Float64Value(f)), nil
}

func decimalLiteral(s string) (*expr.Expr, error) {
	d, err := types.ParseDecimal(s)
	if err != nil {
		return nil, unsupported("not supported: number %s (%v)", s, err)
	}
	return expr.Lit(d), nil
}

func isNumber(l *ast.Literal) bool {
	return l.Kind == ast.LitInt || l.Kind == ast.LitDecimal || l.Kind == ast.LitFloat
}

// convertTypedLiteral: DATE '...' and TIMESTAMP '...'.
func convertTypedLiteral(l *ast.TypedLiteral) (*expr.Expr, error) {
	switch l.Type {
	case "DATE":
		d, err := types.ParseDate(l.Value)
		if err != nil {
			return nil, parseErr("%v", err)
		}
		return expr.Lit(types.DateValue(d)), nil
	case "TIMESTAMP":
		us, err := types.ParseTimestamp(l.Value)
		if err != nil {
			return nil, parseErr("%v", err)
		}
		return expr.Lit(types.TimestampValue(us)), nil
	}
	return nil, unsupported("not supported: %s literals (in %s)", l.Type, l)
}
