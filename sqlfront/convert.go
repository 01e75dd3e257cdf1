package sqlfront

import (
	"fmt"
	"strings"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/sqlfront/ast"
	"github.com/drover-etl/drover/types"
)

// convert maps a syntax tree expression onto Drover's canonical
// functions. The result is unbound; aggregate calls become markers (see
// aggCall). Constructs sqlfront cannot plan are rejected before, by
// checkSupported; the default case is the safety net.
func (c *conv) convert(n ast.Expr) (*expr.Expr, error) {
	switch x := n.(type) {
	case *ast.Literal:
		return convertLiteral(x)
	case *ast.TypedLiteral:
		return convertTypedLiteral(x)
	case *ast.ColumnRef:
		return convertColumn(x)
	case *ast.Binary:
		return c.convertBinary(x)
	case *ast.Unary:
		return c.convertUnary(x)
	case *ast.IsNull:
		return c.convertIsNull(x)
	case *ast.IsBool:
		return c.convertIsBool(x)
	case *ast.IsDistinct:
		return c.convertIsDistinct(x)
	case *ast.InList:
		return c.convertIn(x)
	case *ast.Between:
		return c.convertBetween(x)
	case *ast.Like:
		return c.convertLike(x)
	case *ast.Case:
		return c.convertCase(x)
	case *ast.Cast:
		return c.convertCast(x)
	case *ast.FuncCall:
		return c.convertFunc(x)
	case *ast.Extract:
		return c.convertExtract(x)
	case *ast.Trim:
		return c.convertTrim(x)
	case *ast.Exists:
		return c.convertExists(x)
	case *ast.Subquery:
		return c.convertScalarSub(x)
	case *ast.InSubquery:
		return c.convertInSub(x)
	case *ast.Quantified:
		return c.convertQuantified(x)
	case *ast.Interval:
		return nil, unsupported("not supported: INTERVAL outside date/timestamp ± INTERVAL (in %s)", x)
	}
	return nil, unsupported("not supported: %s", n)
}

func (c *conv) convertAll(ns ...ast.Expr) ([]*expr.Expr, error) {
	out := make([]*expr.Expr, len(ns))
	for i, n := range ns {
		e, err := c.convert(n)
		if err != nil {
			return nil, err
		}
		out[i] = e
	}
	return out, nil
}

func convertColumn(c *ast.ColumnRef) (*expr.Expr, error) {
	if c.Schema != "" {
		return nil, unsupported("not supported: three-part column names like %s", c)
	}
	return expr.Col(c.Table, c.Name), nil
}

var binaryOps = map[ast.BinaryOp]string{
	ast.OpAdd: expr.FnAdd, ast.OpSub: expr.FnSub, ast.OpMul: expr.FnMul,
	ast.OpDiv: expr.FnDiv, ast.OpMod: expr.FnMod, ast.OpConcat: expr.FnConcat,
	ast.OpEq: expr.FnEq, ast.OpNe: expr.FnNe, ast.OpLt: expr.FnLt,
	ast.OpLe: expr.FnLe, ast.OpGt: expr.FnGt, ast.OpGe: expr.FnGe,
	ast.OpAnd: expr.FnAnd, ast.OpOr: expr.FnOr,
}

func (c *conv) convertBinary(x *ast.Binary) (*expr.Expr, error) {
	if e, ok, err := c.intervalArith(x); ok || err != nil {
		return e, err
	}
	args, err := c.convertAll(x.L, x.R)
	if err != nil {
		return nil, err
	}
	return expr.Call(binaryOps[x.Op], args...), nil
}

func (c *conv) convertUnary(x *ast.Unary) (*expr.Expr, error) {
	if lit, ok := x.X.(*ast.Literal); ok && x.Op == ast.OpNeg && isNumber(lit) {
		return convertLiteral(&ast.Literal{Pos: lit.Pos, Kind: lit.Kind, Text: "-" + lit.Text})
	}
	v, err := c.convert(x.X)
	if err != nil {
		return nil, err
	}
	switch x.Op {
	case ast.OpNeg:
		return expr.Call(expr.FnNeg, v), nil
	case ast.OpNot:
		return expr.Call(expr.FnNot, v), nil
	}
	return v, nil
}

func (c *conv) convertIsNull(x *ast.IsNull) (*expr.Expr, error) {
	v, err := c.convert(x.X)
	if err != nil {
		return nil, err
	}
	if x.Not {
		return expr.Call(expr.FnIsNotNull, v), nil
	}
	return expr.Call(expr.FnIsNull, v), nil
}

// convertIsBool: x IS TRUE is never NULL, so it is coalesce(x, false);
// IS FALSE is coalesce(NOT x, false); IS NOT ... negates that.
func (c *conv) convertIsBool(x *ast.IsBool) (*expr.Expr, error) {
	v, err := c.convert(x.X)
	if err != nil {
		return nil, err
	}
	if !x.Value {
		v = expr.Call(expr.FnNot, v)
	}
	return negateIf(x.Not, expr.Call(expr.FnCoalesce, v, falseLit())), nil
}

// convertIsDistinct: a IS NOT DISTINCT FROM b is never NULL: a = b when
// both are set, true when both are NULL, false when one is.
func (c *conv) convertIsDistinct(x *ast.IsDistinct) (*expr.Expr, error) {
	args, err := c.convertAll(x.L, x.R)
	if err != nil {
		return nil, err
	}
	a, b := args[0], args[1]
	bothNull := expr.Call(expr.FnAnd, expr.Call(expr.FnIsNull, a.Clone()), expr.Call(expr.FnIsNull, b.Clone()))
	same := expr.Call(expr.FnCoalesce, expr.Call(expr.FnEq, a, b), bothNull)
	return negateIf(!x.Not, same), nil
}

func (c *conv) convertIn(x *ast.InList) (*expr.Expr, error) {
	args, err := c.convertAll(append([]ast.Expr{x.X}, x.List...)...)
	if err != nil {
		return nil, err
	}
	return negateIf(x.Not, expr.Call(expr.FnIn, args...)), nil
}

// convertBetween: x BETWEEN a AND b is x >= a AND x <= b.
func (c *conv) convertBetween(x *ast.Between) (*expr.Expr, error) {
	args, err := c.convertAll(x.X, x.Lo, x.Hi)
	if err != nil {
		return nil, err
	}
	e := expr.Call(expr.FnAnd, expr.Call(expr.FnGe, args[0], args[1]), expr.Call(expr.FnLe, args[0].Clone(), args[2]))
	return negateIf(x.Not, e), nil
}

func (c *conv) convertLike(x *ast.Like) (*expr.Expr, error) {
	args, err := c.convertAll(x.X, x.Pattern)
	if err != nil {
		return nil, err
	}
	if x.Escape != nil {
		if args[1], err = c.reescape(args[1], x.Escape); err != nil {
			return nil, err
		}
	}
	fn := expr.FnLike
	if x.ILike {
		fn = expr.FnILike
	}
	return negateIf(x.Not, expr.Call(fn, args...)), nil
}

// reescape rewrites a pattern using ESCAPE 'c' into the backslash escapes
// the like function understands.
func (c *conv) reescape(p *expr.Expr, escape ast.Expr) (*expr.Expr, error) {
	lit, ok := escape.(*ast.Literal)
	if !ok || lit.Kind != ast.LitString || len(lit.Text) != 1 {
		return nil, unsupported("not supported: ESCAPE other than a one-character string (in ESCAPE %s)", escape)
	}
	esc := lit.Text[0]
	if esc == '\\' {
		return p, nil
	}
	if !p.IsLiteral() || p.Value.Type.ID != types.String {
		return nil, unsupported("not supported: ESCAPE with a pattern that is not a string literal")
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
func (c *conv) convertCase(x *ast.Case) (*expr.Expr, error) {
	var value *expr.Expr
	if x.Operand != nil {
		v, err := c.convert(x.Operand)
		if err != nil {
			return nil, err
		}
		value = v
	}
	var args []*expr.Expr
	for _, w := range x.Whens {
		parts, err := c.convertAll(w.Cond, w.Result)
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
	if x.Else != nil {
		e, err := c.convert(x.Else)
		if err != nil {
			return nil, err
		}
		els = e
	}
	return expr.Call(expr.FnCase, append(args, els)...), nil
}

func (c *conv) convertCast(x *ast.Cast) (*expr.Expr, error) {
	if x.Try {
		return nil, unsupported("not supported: TRY_CAST (in %s)", x)
	}
	t, err := types.Parse(x.Type.String())
	if err != nil {
		return nil, fmt.Errorf("CAST: %w", err)
	}
	v, err := c.convert(x.X)
	if err != nil {
		return nil, err
	}
	return expr.Cast(v, t), nil
}

func negateIf(not bool, e *expr.Expr) *expr.Expr {
	if not {
		return expr.Call(expr.FnNot, e)
	}
	return e
}

func falseLit() *expr.Expr { return expr.Lit(types.BoolValue(false)) }
