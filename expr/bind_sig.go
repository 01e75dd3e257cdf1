package expr

import (
	"fmt"
	"github.com/drover-etl/drover/types"
	"strings"
)

// signature says how many arguments a canonical function takes and how to
// type-check it. bind receives the original node (for messages) and the
// already bound arguments, and returns the bound call.
type signature struct {
	min, max int // max < 0: variadic
	bind     func(b *binder, e *Expr, args []*Expr) (*Expr, error)
}

func (s signature) arity() string {
	switch {
	case s.max < 0:
		return fmt.Sprintf("at least %d arguments", s.min)
	case s.min == s.max && s.min == 1:
		return "1 argument"
	case s.min == s.max:
		return fmt.Sprintf("%d arguments", s.min)
	}
	return fmt.Sprintf("%d to %d arguments", s.min, s.max)
}

// signatures lists every canonical function the binder knows; the Fn
// constants in functions.go document their bound shapes.
var signatures = map[string]signature{
	FnAdd: {2, 2, bindArith}, FnSub: {2, 2, bindArith}, FnMul: {2, 2, bindArith},
	FnDiv: {2, 2, bindArith}, FnMod: {2, 2, bindArith},
	FnNeg: {1, 1, bindNeg}, FnAbs: {1, 1, bindAbs},

	FnEq: {2, 2, bindCompare}, FnNe: {2, 2, bindCompare}, FnLt: {2, 2, bindCompare},
	FnLe: {2, 2, bindCompare}, FnGt: {2, 2, bindCompare}, FnGe: {2, 2, bindCompare},

	FnAnd: {2, -1, bindLogic}, FnOr: {2, -1, bindLogic}, FnNot: {1, 1, bindLogic},
	FnIsNull: {1, 1, bindIsNull}, FnIsNotNull: {1, 1, bindIsNull},
	FnIn:   {2, -1, bindIn},
	FnLike: {2, 2, bindStringPredicate}, FnILike: {2, 2, bindStringPredicate},
	FnCase: {1, -1, bindCase}, FnCast: {1, 1, bindCast},
	FnCoalesce: {1, -1, bindCoalesce}, FnNullIf: {2, 2, bindNullIf},

	FnConcat: {1, -1, bindConcat},
	FnLower:  {1, 1, bindStringFunc}, FnUpper: {1, 1, bindStringFunc},
	FnTrim: {1, 2, bindStringFunc}, FnLTrim: {1, 2, bindStringFunc}, FnRTrim: {1, 2, bindStringFunc},
	FnReplace: {3, 3, bindStringFunc}, FnLength: {1, 1, bindLength},
	FnSubstr:     {2, 3, bindSubstr},
	FnStartsWith: {2, 2, bindStringPredicate}, FnEndsWith: {2, 2, bindStringPredicate},
	FnContains: {2, 2, bindStringPredicate},

	FnRound: {1, 2, bindRound}, FnFloor: {1, 1, bindFloorCeil}, FnCeil: {1, 1, bindFloorCeil},

	FnYear: {1, 1, bindDatePart}, FnMonth: {1, 1, bindDatePart}, FnDay: {1, 1, bindDatePart},
	FnHour: {1, 1, bindDatePart}, FnDayOfWeek: {1, 1, bindDatePart},
	FnDateTrunc: {2, 2, bindDateTrunc}, FnDateAdd: {2, 2, bindDateAdd},
	FnDateDiff: {2, 3, bindDateDiff},
}

// KnownFunction reports whether name is a canonical function the binder
// types (plugin functions, which have a dot, are not listed).
func KnownFunction(name string) bool {
	_, ok := signatures[name]
	return ok
}

// opName is how messages name the function of e: the SQL operator for
// infix functions, the upper-cased name otherwise.
func opName(name string) string {
	if op, ok := infix[name]; ok {
		return op
	}
	return strings.ToUpper(name)
}

// nearestFunction suggests the canonical name closest to a misspelt one.
func nearestFunction(name string) string {
	names := make([]string, 0, len(signatures))
	for n := range signatures {
		names = append(names, n)
	}
	return types.Nearest(strings.ToLower(name), names)
}
