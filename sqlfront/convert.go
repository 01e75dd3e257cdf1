package sqlfront

import (
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/format"
	"github.com/pingcap/tidb/pkg/parser/opcode"
	"github.com/pingcap/tidb/pkg/parser/test_driver"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// convert maps a TiDB expression onto Drover's canonical functions. The
// result is unbound; aggregate calls become markers (see aggCall).
func convert(n ast.ExprNode) (*expr.Expr, error) {
	switch x := n.(type) {
	case *test_driver.ValueExpr:
		return convertValue(x)
	case *ast.ColumnNameExpr:
		return convertColumn(x.Name)
	case *ast.ParenthesesExpr:
		return convert(x.Expr)
	case *ast.BinaryOperationExpr:
		return convertBinary(x)
	case *ast.UnaryOperationExpr:
		return convertUnary(x)
	case *ast.IsNullExpr:
		return convertIsNull(x)
	case *ast.IsTruthExpr:
		return convertIsTruth(x)
	case *ast.PatternInExpr:
		return convertIn(x)
	case *ast.BetweenExpr:
		return convertBetween(x)
	case *ast.PatternLikeOrIlikeExpr:
		return convertLike(x)
	case *ast.CaseExpr:
		return convertCase(x)
	case *ast.FuncCallExpr:
		return convertFunc(x)
	case *ast.AggregateFuncExpr:
		return convertAgg(x)
	case *ast.SubqueryExpr, *ast.ExistsSubqueryExpr, *ast.CompareSubqueryExpr:
		return nil, unsupported("subqueries in expressions are not supported yet (in %s); join the relation instead", sqlText(n))
	case *ast.WindowFuncExpr:
		return nil, unsupported("window functions are not supported yet (in %s)", sqlText(n))
	case *ast.PositionExpr:
		return nil, unsupported("a column position (%d) is only allowed as a whole GROUP BY or ORDER BY item", x.N)
	}
	return nil, unsupported("%s is not supported", sqlText(n))
}

func convertAll(ns []ast.ExprNode) ([]*expr.Expr, error) {
	out := make([]*expr.Expr, len(ns))
	for i, n := range ns {
		e, err := convert(n)
		if err != nil {
			return nil, err
		}
		out[i] = e
	}
	return out, nil
}

func convertColumn(c *ast.ColumnName) (*expr.Expr, error) {
	if c.Schema.O != "" {
		return nil, unsupported("three-part column names like %s.%s.%s are not supported", c.Schema.O, c.Table.O, c.Name.O)
	}
	return expr.Col(c.Table.O, c.Name.O), nil
}

var binaryOps = map[opcode.Op]string{
	opcode.Plus: expr.FnAdd, opcode.Minus: expr.FnSub, opcode.Mul: expr.FnMul,
	opcode.Div: expr.FnDiv, opcode.Mod: expr.FnMod,
	opcode.EQ: expr.FnEq, opcode.NE: expr.FnNe, opcode.LT: expr.FnLt,
	opcode.LE: expr.FnLe, opcode.GT: expr.FnGt, opcode.GE: expr.FnGe,
	opcode.LogicAnd: expr.FnAnd, opcode.LogicOr: expr.FnOr,
}

func convertBinary(x *ast.BinaryOperationExpr) (*expr.Expr, error) {
	fn, ok := binaryOps[x.Op]
	if !ok {
		return nil, unsupported("operator %s is not supported (in %s)", x.Op, sqlText(x))
	}
	args, err := convertAll([]ast.ExprNode{x.L, x.R})
	if err != nil {
		return nil, err
	}
	return expr.Call(fn, args...), nil
}

func convertUnary(x *ast.UnaryOperationExpr) (*expr.Expr, error) {
	v, err := convert(x.V)
	if err != nil {
		return nil, err
	}
	switch x.Op {
	case opcode.Plus:
		return v, nil
	case opcode.Minus:
		return expr.Call(expr.FnNeg, v), nil
	case opcode.Not, opcode.Not2:
		return expr.Call(expr.FnNot, v), nil
	}
	return nil, unsupported("operator %s is not supported (in %s)", x.Op, sqlText(x))
}

func convertIsNull(x *ast.IsNullExpr) (*expr.Expr, error) {
	v, err := convert(x.Expr)
	if err != nil {
		return nil, err
	}
	if x.Not {
		return expr.Call(expr.FnIsNotNull, v), nil
	}
	return expr.Call(expr.FnIsNull, v), nil
}

// convertIsTruth: x IS TRUE is never NULL, so it is coalesce(x, false);
// IS FALSE is coalesce(NOT x, false); IS NOT ... negates that.
func convertIsTruth(x *ast.IsTruthExpr) (*expr.Expr, error) {
	v, err := convert(x.Expr)
	if err != nil {
		return nil, err
	}
	if x.True == 0 {
		v = expr.Call(expr.FnNot, v)
	}
	e := expr.Call(expr.FnCoalesce, v, expr.Lit(types.BoolValue(false)))
	if x.Not {
		e = expr.Call(expr.FnNot, e)
	}
	return e, nil
}

func convertIn(x *ast.PatternInExpr) (*expr.Expr, error) {
	if x.Sel != nil {
		return nil, unsupported("subqueries in expressions are not supported yet (in %s); join the relation instead", sqlText(x))
	}
	args, err := convertAll(append([]ast.ExprNode{x.Expr}, x.List...))
	if err != nil {
		return nil, err
	}
	return negateIf(x.Not, expr.Call(expr.FnIn, args...)), nil
}

// convertBetween: x BETWEEN a AND b is x >= a AND x <= b.
func convertBetween(x *ast.BetweenExpr) (*expr.Expr, error) {
	args, err := convertAll([]ast.ExprNode{x.Expr, x.Left, x.Right})
	if err != nil {
		return nil, err
	}
	e := expr.Call(expr.FnAnd, expr.Call(expr.FnGe, args[0], args[1]), expr.Call(expr.FnLe, args[0].Clone(), args[2]))
	return negateIf(x.Not, e), nil
}

func convertLike(x *ast.PatternLikeOrIlikeExpr) (*expr.Expr, error) {
	args, err := convertAll([]ast.ExprNode{x.Expr, x.Pattern})
	if err != nil {
		return nil, err
	}
	if x.Escape != '\\' {
		if args[1], err = reescape(args[1], x.Escape); err != nil {
			return nil, err
		}
	}
	fn := expr.FnLike
	if !x.IsLike {
		fn = expr.FnILike
	}
	return negateIf(x.Not, expr.Call(fn, args...)), nil
}

// reescape rewrites a pattern using ESCAPE 'c' into the backslash escapes
// the like function understands.
func reescape(p *expr.Expr, esc byte) (*expr.Expr, error) {
	if !p.IsLiteral() || p.Value.Type.ID != types.String {
		return nil, unsupported("ESCAPE needs a string literal pattern")
	}
	var sb strings.Builder
	s := p.Value.S
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == esc && i+1 < len(s):
			sb.WriteByte('\\')
			sb.WriteByte(s[i+1])
			i++
		case s[i] == '\\':
			sb.WriteString(`\\`)
		default:
			sb.WriteByte(s[i])
		}
	}
	return expr.Lit(types.StringValue(sb.String())), nil
}

// convertCase maps both CASE forms onto the searched form with an ELSE.
func convertCase(x *ast.CaseExpr) (*expr.Expr, error) {
	var value *expr.Expr
	if x.Value != nil {
		v, err := convert(x.Value)
		if err != nil {
			return nil, err
		}
		value = v
	}
	var args []*expr.Expr
	for _, w := range x.WhenClauses {
		parts, err := convertAll([]ast.ExprNode{w.Expr, w.Result})
		if err != nil {
			return nil, err
		}
		cond := parts[0]
		if value != nil {
			cond = expr.Call(expr.FnEq, value.Clone(), cond)
		}
		args = append(args, cond, parts[1])
	}
	els := expr.Lit(types.NullValue(types.NullType))
	if x.ElseClause != nil {
		e, err := convert(x.ElseClause)
		if err != nil {
			return nil, err
		}
		els = e
	}
	return expr.Call(expr.FnCase, append(args, els)...), nil
}

func negateIf(not bool, e *expr.Expr) *expr.Expr {
	if not {
		return expr.Call(expr.FnNot, e)
	}
	return e
}

// sqlText renders a node back to SQL for messages.
func sqlText(n ast.Node) string {
	var sb strings.Builder
	if err := n.Restore(format.NewRestoreCtx((format.DefaultRestoreFlags|format.RestoreStringWithoutCharset)&^format.RestoreNameBackQuotes, &sb)); err != nil {
		return "?"
	}
	return sb.String()
}
