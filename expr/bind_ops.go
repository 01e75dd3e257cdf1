package expr

import (
	"github.com/drover-etl/drover/types"
)

func numericOrNull(e *Expr) bool { return e.Type.IsNumeric() || e.Type.ID == types.Null }

// bindArith types + - * / %. Decimal arithmetic keeps both sides decimal
// (differing precision is fine, the result type says what comes out);
// everything else is unified to one type first.
func bindArith(b *binder, e *Expr, args []*Expr) (*Expr, error) {
	l, r := args[0], args[1]
	if out, ok, err := bindDateArith(b, e, l, r); ok {
		return out, err
	}
	if !numericOrNull(l) || !numericOrNull(r) {
		return nil, typeErrorf("cannot apply %s to %s and %s in %s", opName(e.Name), l.Type, r.Type, e)
	}
	// Division and modulo by zero yield NULL, so they may always be NULL.
	nullable := anyNullable(args) || e.Name == FnDiv || e.Name == FnMod
	// Division of decimals is DOUBLE division, as in DuckDB (whose answers
	// Drover matches): a fixed result scale would lose digits.
	if isDecimalArith(l, r) && e.Name != FnDiv {
		return bindDecimalArith(e, l, r, nullable)
	}
	t, err := unify(args, func(a, b types.Type) error {
		return typeErrorf("cannot apply %s to %s and %s in %s", opName(e.Name), a, b, e)
	})
	if err != nil {
		return nil, err
	}
	if t.ID == types.Null {
		t = types.Int64Type
	}
	if e.Name == FnDiv && !t.IsFloat() {
		t = types.Float64Type
	}
	return typedCall(e.Name, t, nullable, castAll(args, t)...), nil
}

// isDecimalArith: a decimal operand and no float one (floats win, as in
// types.ArithmeticResult).
func isDecimalArith(l, r *Expr) bool {
	if l.Type.IsFloat() || r.Type.IsFloat() {
		return false
	}
	return l.Type.ID == types.Decimal || r.Type.ID == types.Decimal
}

func bindDecimalArith(e *Expr, l, r *Expr, nullable bool) (*Expr, error) {
	l, r = toDecimal(l, r.Type), toDecimal(r, l.Type)
	t, ok := types.ArithmeticResult(infix[e.Name], l.Type, r.Type)
	if !ok {
		return nil, typeErrorf("cannot apply %s to %s and %s in %s", opName(e.Name), l.Type, r.Type, e)
	}
	return typedCall(e.Name, t, nullable, l, r), nil
}

// toDecimal makes an operand of decimal arithmetic decimal: integer
// literals get their narrowest decimal type, integer columns the one
// holding all their values, a NULL literal the other side's type.
func toDecimal(e *Expr, other types.Type) *Expr {
	switch {
	case e.Type.ID == types.Decimal:
		return e
	case e.Type.ID == types.Null:
		return castTo(e, other)
	case e.IsLiteral() && e.Type.IsInteger():
		return castTo(e, literalDecimal(e.Value.I))
	}
	return castTo(e, types.AsDecimal(e.Type))
}

func bindNeg(_ *binder, e *Expr, args []*Expr) (*Expr, error) {
	a := args[0]
	if !numericOrNull(a) {
		return nil, typeErrorf("cannot negate %s in %s", a.Type, e)
	}
	if a.IsLiteral() {
		return Lit(negate(a.Value)), nil
	}
	return typedCall(FnNeg, a.Type, a.Nullable, a), nil
}

// negate folds -literal so that "-5" stays a literal that can shrink to
// the type of the column it is compared with.
func negate(v types.Value) types.Value {
	if v.Null {
		return v
	}
	switch v.Type.ID {
	case types.Int32, types.Int64:
		v.I = -v.I
	case types.Float32, types.Float64:
		v.F = -v.F
	case types.Decimal:
		n := v.Decimal128().Negate()
		v.Hi, v.Lo = n.HighBits(), n.LowBits()
	}
	return v
}

func bindAbs(_ *binder, e *Expr, args []*Expr) (*Expr, error) {
	a := args[0]
	if !numericOrNull(a) {
		return nil, typeErrorf("abs needs a number, got %s in %s", a.Type, e)
	}
	return typedCall(FnAbs, a.Type, a.Nullable, a), nil
}

func bindCompare(_ *binder, e *Expr, args []*Expr) (*Expr, error) {
	t, err := unify(args, func(a, b types.Type) error {
		return typeErrorf("cannot compare %s with %s in %s", a, b, e)
	})
	if err != nil {
		return nil, err
	}
	return typedCall(e.Name, types.BoolType, anyNullable(args), castAll(args, t)...), nil
}

func bindLogic(_ *binder, e *Expr, args []*Expr) (*Expr, error) {
	out := make([]*Expr, len(args))
	for i, a := range args {
		switch a.Type.ID {
		case types.Bool:
			out[i] = a
		case types.Null:
			out[i] = castTo(a, types.BoolType)
		default:
			return nil, typeErrorf("%s needs boolean operands, got %s in %s", opName(e.Name), a.Type, e)
		}
	}
	return typedCall(e.Name, types.BoolType, anyNullable(out), out...), nil
}

func bindIsNull(_ *binder, e *Expr, args []*Expr) (*Expr, error) {
	return typedCall(e.Name, types.BoolType, false, args...), nil
}

func bindIn(_ *binder, e *Expr, args []*Expr) (*Expr, error) {
	t, err := unify(args, func(a, b types.Type) error {
		return typeErrorf("cannot compare %s with %s in %s", a, b, e)
	})
	if err != nil {
		return nil, err
	}
	return typedCall(FnIn, types.BoolType, anyNullable(args), castAll(args, t)...), nil
}

// bindDateArith handles date ± integer (days) and date - date (days
// between, as int64), as DuckDB and PostgreSQL do. ok is false for
// operands that are not dates.
func bindDateArith(b *binder, e *Expr, l, r *Expr) (*Expr, bool, error) {
	isDate := func(x *Expr) bool { return x.Type.ID == types.Date }
	isInt := func(x *Expr) bool { return x.Type.IsInteger() || x.Type.ID == types.Null }
	switch {
	case e.Name == FnAdd && isDate(l) && isInt(r):
		out, err := bindDateAdd(b, e, []*Expr{l, r})
		return out, true, err
	case e.Name == FnAdd && isInt(l) && isDate(r):
		out, err := bindDateAdd(b, e, []*Expr{r, l})
		return out, true, err
	case e.Name == FnSub && isDate(l) && isInt(r):
		out, err := bindDateSub(b, e, []*Expr{l, r})
		return out, true, err
	case e.Name == FnSub && isDate(l) && isDate(r):
		out, err := bindDateDiff(b, e, []*Expr{l, r})
		return out, true, err
	}
	return nil, false, nil
}
