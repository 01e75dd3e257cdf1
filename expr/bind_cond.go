package expr

import (
	"github.com/drover-etl/drover/types"
)

// bindCase types case(c1, v1, ..., else). A missing ELSE (even number of
// args) becomes a NULL literal so the evaluator sees one shape.
func bindCase(_ *binder, e *Expr, args []*Expr) (*Expr, error) {
	if len(args)%2 == 0 {
		args = append(args, Lit(types.NullValue(types.NullType)))
	}
	if len(args) < 3 {
		return nil, &bindError{kind: ErrArity, msg: "CASE needs at least one WHEN ... THEN in " + e.String()}
	}
	out := make([]*Expr, len(args))
	var results []*Expr
	for i := 0; i+1 < len(args); i += 2 {
		c, err := asBool(e, args[i], "CASE conditions")
		if err != nil {
			return nil, err
		}
		out[i] = c
		results = append(results, args[i+1])
	}
	results = append(results, args[len(args)-1])
	t, err := unify(results, func(a, b types.Type) error {
		return typeErrorf("CASE branches have incompatible types %s and %s in %s", a, b, e)
	})
	if err != nil {
		return nil, err
	}
	for i := 1; i < len(args); i += 2 {
		out[i] = castTo(args[i], t)
	}
	out[len(out)-1] = castTo(args[len(args)-1], t)
	return typedCall(FnCase, t, anyNullable(results), out...), nil
}

func asBool(e, a *Expr, what string) (*Expr, error) {
	switch a.Type.ID {
	case types.Bool:
		return a, nil
	case types.Null:
		return castTo(a, types.BoolType), nil
	}
	return nil, typeErrorf("%s must be boolean, got %s in %s", what, a.Type, e)
}

// bindCast drops casts to the type an expression already has, folds casts
// of literals where exact, and reports malformed date/timestamp strings
// and conversions that make no sense (date to int) at bind time.
func bindCast(_ *binder, e *Expr, args []*Expr) (*Expr, error) {
	a, t := args[0], e.Type
	if t.ID == types.Null {
		return nil, typeErrorf("cast without a target type in %s", e)
	}
	if a.Type == t {
		return a, nil
	}
	if !castable(a.Type, t) {
		return nil, typeErrorf("cannot cast %s to %s in %s", a.Type, t, e)
	}
	if a.IsLiteral() {
		v, ok, err := convertLiteral(a.Value, t)
		if err != nil {
			return nil, err
		}
		if ok {
			return Lit(v), nil
		}
	}
	c := Cast(a, t)
	c.Nullable = a.Nullable
	return c, nil
}

// castable is the cast matrix the binder accepts: anything to and from
// string, numbers and bools among themselves, date and timestamp.
func castable(from, to types.Type) bool {
	switch {
	case from == to, from.ID == types.Null, from.ID == types.String, to.ID == types.String:
		return true
	case isNumOrBool(from) && isNumOrBool(to):
		return true
	}
	isTime := func(t types.Type) bool { return t.ID == types.Date || t.ID == types.Timestamp }
	return isTime(from) && isTime(to)
}

func isNumOrBool(t types.Type) bool { return t.IsNumeric() || t.ID == types.Bool }

func bindCoalesce(_ *binder, e *Expr, args []*Expr) (*Expr, error) {
	t, err := unify(args, func(a, b types.Type) error {
		return typeErrorf("coalesce arguments have incompatible types %s and %s in %s", a, b, e)
	})
	if err != nil {
		return nil, err
	}
	nullable := true
	for _, a := range args {
		nullable = nullable && a.Nullable
	}
	return typedCall(FnCoalesce, t, nullable, castAll(args, t)...), nil
}

func bindNullIf(_ *binder, e *Expr, args []*Expr) (*Expr, error) {
	t, err := unify(args, func(a, b types.Type) error {
		return typeErrorf("cannot compare %s with %s in %s", a, b, e)
	})
	if err != nil {
		return nil, err
	}
	return typedCall(FnNullIf, t, true, castAll(args, t)...), nil
}
