package icetable

import (
	"github.com/apache/iceberg-go"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// rowFilter converts the conjuncts Drover pushed into a scan to one
// Iceberg expression for file pruning. A conjunct that does not convert
// (or does not bind against the table) is left out: pruning with fewer
// conjuncts keeps more files, never fewer, and the scan still applies
// every filter to the rows.
func rowFilter(sch *iceberg.Schema, conjuncts []*expr.Expr) iceberg.BooleanExpression {
	var out iceberg.BooleanExpression = iceberg.AlwaysTrue{}
	for _, c := range conjuncts {
		e, ok := convert(c)
		if !ok {
			continue
		}
		if _, err := iceberg.BindExpr(sch, e, false); err != nil {
			continue
		}
		out = iceberg.NewAnd(out, e)
	}
	return out
}

var flipped = map[string]string{
	expr.FnEq: expr.FnEq, expr.FnNe: expr.FnNe,
	expr.FnLt: expr.FnGt, expr.FnGt: expr.FnLt, expr.FnLe: expr.FnGe, expr.FnGe: expr.FnLe,
}

func convert(e *expr.Expr) (iceberg.BooleanExpression, bool) {
	if e.Kind != expr.KindCall {
		return nil, false
	}
	switch e.Name {
	case expr.FnAnd, expr.FnOr:
		return convertLogical(e)
	case expr.FnNot:
		in, ok := convert(e.Args[0])
		if !ok {
			return nil, false
		}
		return iceberg.NewNot(in), true
	case expr.FnIsNull, expr.FnIsNotNull:
		if e.Args[0].Kind != expr.KindColumn {
			return nil, false
		}
		ref := iceberg.Reference(e.Args[0].Name)
		if e.Name == expr.FnIsNull {
			return iceberg.IsNull(ref), true
		}
		return iceberg.NotNull(ref), true
	}
	if _, ok := flipped[e.Name]; ok && len(e.Args) == 2 {
		return convertCompare(e.Name, e.Args[0], e.Args[1])
	}
	return nil, false
}

func convertLogical(e *expr.Expr) (iceberg.BooleanExpression, bool) {
	l, okL := convert(e.Args[0])
	r, okR := convert(e.Args[1])
	if !okL || !okR {
		return nil, false
	}
	if e.Name == expr.FnAnd {
		return iceberg.NewAnd(l, r), true
	}
	return iceberg.NewOr(l, r), true
}

func convertCompare(op string, a, b *expr.Expr) (iceberg.BooleanExpression, bool) {
	if a.Kind == expr.KindLiteral && b.Kind == expr.KindColumn {
		op, a, b = flipped[op], b, a
	}
	if a.Kind != expr.KindColumn || b.Kind != expr.KindLiteral || b.Value.Null {
		return nil, false
	}
	lit, ok := literal(b.Value)
	if !ok {
		return nil, false
	}
	ops := map[string]iceberg.Operation{
		expr.FnEq: iceberg.OpEQ, expr.FnNe: iceberg.OpNEQ, expr.FnLt: iceberg.OpLT,
		expr.FnLe: iceberg.OpLTEQ, expr.FnGt: iceberg.OpGT, expr.FnGe: iceberg.OpGTEQ,
	}
	return iceberg.LiteralPredicate(ops[op], iceberg.Reference(a.Name), lit), true
}

// literal converts the literal types whose Iceberg form is unambiguous.
func literal(v types.Value) (iceberg.Literal, bool) {
	switch v.Type.ID {
	case types.Bool:
		return iceberg.NewLiteral(v.B), true
	case types.Int32:
		return iceberg.NewLiteral(int32(v.I)), true
	case types.Int64:
		return iceberg.NewLiteral(v.I), true
	case types.Float64:
		return iceberg.NewLiteral(v.F), true
	case types.String:
		return iceberg.NewLiteral(v.S), true
	case types.Date:
		return iceberg.NewLiteral(iceberg.Date(v.I)), true
	case types.Timestamp:
		return iceberg.NewLiteral(iceberg.Timestamp(v.I)), true
	}
	return nil, false
}
