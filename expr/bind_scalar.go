package expr

import (
	"regexp"

	"github.com/drover-etl/drover/types"
)

// scalarSignatures are the functions added with the registry; init merges
// them into signatures.
var scalarSignatures = map[string]signature{
	FnConcatWS:       {1, -1, bindConcatWS},
	FnRegexpLike:     {2, 2, bindRegexp(types.BoolType, "ss")},
	FnRegexpExtract:  {2, 3, bindRegexp(types.StringType, "ssi")},
	FnRegexpReplace:  {3, 4, bindRegexp(types.StringType, "ssss")},
	FnSplitPart:      {3, 3, typed(types.StringType, "ssi", false)},
	FnLPad:           {2, 3, typed(types.StringType, "sis", false)},
	FnRPad:           {2, 3, typed(types.StringType, "sis", false)},
	FnStrpos:         {2, 2, typed(types.Int64Type, "ss", false)},
	FnLocate:         {2, 3, typed(types.Int64Type, "ssi", false)},
	FnInitcap:        {1, 1, typed(types.StringType, "s", false)},
	FnTranslate:      {3, 3, typed(types.StringType, "s", false)},
	FnRepeat:         {2, 2, typed(types.StringType, "si", false)},
	FnReverse:        {1, 1, typed(types.StringType, "s", false)},
	FnLeft:           {2, 2, typed(types.StringType, "si", false)},
	FnRight:          {2, 2, typed(types.StringType, "si", false)},
	FnASCII:          {1, 1, typed(types.Int32Type, "s", false)},
	FnChr:            {1, 1, typed(types.StringType, "i", false)},
	FnMD5:            {1, 1, typed(types.StringType, "s", false)},
	FnSHA1:           {1, 1, typed(types.StringType, "s", false)},
	FnSHA256:         {1, 1, typed(types.StringType, "s", false)},
	FnSHA2:           {2, 2, bindSHA2},
	FnCRC32:          {1, 1, typed(types.Int64Type, "s", false)},
	FnXXHash64:       {1, 1, typed(types.Int64Type, "s", false)},
	FnJSONExtractStr: {2, 2, typed(types.StringType, "s", true)},
	FnOctetLength:    {1, 1, typed(types.Int64Type, "s", false)},
	FnBitLength:      {1, 1, typed(types.Int64Type, "s", false)},
	FnToBase64:       {1, 1, typed(types.StringType, "s", false)},
	FnFromBase64:     {1, 1, typed(types.StringType, "s", false)},
	FnHex:            {1, 1, typed(types.StringType, "s", false)},
	FnLevenshtein:    {2, 2, typed(types.Int64Type, "s", false)},
	FnIsNaN:          {1, 1, typed(types.BoolType, "f", false)},
	FnIsInf:          {1, 1, typed(types.BoolType, "f", false)},
	FnIsFinite:       {1, 1, typed(types.BoolType, "f", false)},

	FnSqrt: {1, 1, typed(types.Float64Type, "f", false)}, FnCbrt: {1, 1, typed(types.Float64Type, "f", false)},
	FnExp: {1, 1, typed(types.Float64Type, "f", false)}, FnLn: {1, 1, typed(types.Float64Type, "f", false)},
	FnLog: {1, 2, typed(types.Float64Type, "f", false)}, FnLog10: {1, 1, typed(types.Float64Type, "f", false)},
	FnLog2: {1, 1, typed(types.Float64Type, "f", false)}, FnPower: {2, 2, typed(types.Float64Type, "f", false)},
	FnDegrees: {1, 1, typed(types.Float64Type, "f", false)}, FnRadians: {1, 1, typed(types.Float64Type, "f", false)},
	FnSin: {1, 1, typed(types.Float64Type, "f", false)}, FnCos: {1, 1, typed(types.Float64Type, "f", false)},
	FnTan: {1, 1, typed(types.Float64Type, "f", false)}, FnAsin: {1, 1, typed(types.Float64Type, "f", false)},
	FnAcos: {1, 1, typed(types.Float64Type, "f", false)}, FnAtan: {1, 1, typed(types.Float64Type, "f", false)},
	FnAtan2: {2, 2, typed(types.Float64Type, "f", false)}, FnPi: {0, 0, typed(types.Float64Type, "f", false)},
	FnSign:  {1, 1, typed(types.Int32Type, "f", false)},
	FnTrunc: {1, 2, bindRoundLike},

	FnGreatest: {1, -1, bindGreatestLeast}, FnLeast: {1, -1, bindGreatestLeast},
	FnIf: {3, 3, bindIf}, FnNvl2: {3, 3, bindNvl2},
}

func init() {
	for _, m := range []map[string]signature{scalarSignatures, dateSignatures} {
		for name, s := range m {
			if _, dup := signatures[name]; dup {
				panic("expr: signature defined twice: " + name)
			}
			signatures[name] = s
		}
	}
	signatures[FnFloor] = signature{1, 2, bindRoundLike}
	signatures[FnCeil] = signature{1, 2, bindRoundLike}
}

// bindConcatWS: the separator is a string, the rest are cast to string;
// NULL arguments are skipped, so only the separator makes the result NULL.
func bindConcatWS(_ *binder, e *Expr, args []*Expr) (*Expr, error) {
	sep, err := asString(e, args[0])
	if err != nil {
		return nil, err
	}
	out := append([]*Expr{sep}, castAll(args[1:], types.StringType)...)
	return typedCall(FnConcatWS, types.StringType, sep.Nullable, out...), nil
}

// bindRegexp checks a constant pattern at bind time, so a bad one is a
// planning error rather than a task failure.
func bindRegexp(t types.Type, kinds string) bindFunc {
	inner := typed(t, kinds, false)
	return func(b *binder, e *Expr, args []*Expr) (*Expr, error) {
		if p := args[1]; p.IsLiteral() && !p.Value.Null && p.Type.ID == types.String {
			if _, err := regexp.Compile(p.Value.S); err != nil {
				return nil, typeErrorf("%s: bad regular expression %q: %v in %s", opName(e.Name), p.Value.S, err, e)
			}
		}
		return inner(b, e, args)
	}
}

func bindSHA2(_ *binder, e *Expr, args []*Expr) (*Expr, error) {
	s, err := asString(e, args[0])
	if err != nil {
		return nil, err
	}
	bits, err := asInt64(e, args[1])
	if err != nil {
		return nil, err
	}
	return typedCall(FnSHA2, types.StringType, true, s, bits), nil
}

// bindRoundLike types floor, ceil and trunc: (x[, digits]) with the
// argument's type kept. Integers without digits pass through unchanged
// (floor of an integer is itself); with digits they round as decimals.
func bindRoundLike(_ *binder, e *Expr, args []*Expr) (*Expr, error) {
	x := args[0]
	if x.Type.IsInteger() && len(args) == 1 {
		return x, nil
	}
	x, err := roundable(e, x)
	if err != nil {
		return nil, err
	}
	out := []*Expr{x}
	digits := Lit(types.Int64Value(0))
	if len(args) == 2 {
		d, err := asInt64(e, args[1])
		if err != nil {
			return nil, err
		}
		out, digits = append(out, d), d
	}
	return decimalRoundResult(typedCall(e.Name, x.Type, anyNullable(out), out...), digits), nil
}

// bindGreatestLeast unifies the arguments; NULLs are skipped, so the
// result is NULL only when every argument is.
func bindGreatestLeast(_ *binder, e *Expr, args []*Expr) (*Expr, error) {
	t, err := unify(args, func(a, b types.Type) error {
		return typeErrorf("%s arguments have incompatible types %s and %s in %s", opName(e.Name), a, b, e)
	})
	if err != nil {
		return nil, err
	}
	if t.ID == types.Null {
		t = types.Int64Type
	}
	nullable := true
	for _, a := range args {
		nullable = nullable && a.Nullable
	}
	return typedCall(e.Name, t, nullable, castAll(args, t)...), nil
}

// bindIf: if(c, a, b) is CASE WHEN c THEN a ELSE b END.
func bindIf(b *binder, e *Expr, args []*Expr) (*Expr, error) {
	return bindCase(b, e, args)
}

// bindNvl2: nvl2(x, a, b) is CASE WHEN x IS NOT NULL THEN a ELSE b END.
func bindNvl2(b *binder, e *Expr, args []*Expr) (*Expr, error) {
	cond := typedCall(FnIsNotNull, types.BoolType, false, args[0])
	return bindCase(b, e, []*Expr{cond, args[1], args[2]})
}
