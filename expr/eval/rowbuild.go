package eval

import (
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// rowMaker makes a call's rowFn once its arguments are compiled; it may
// read constant arguments (a literal pattern, a unit) to prepare.
type rowMaker func(e *expr.Expr, args []node) (rowFn, error)

// rowBuilder is the builder of a row-at-a-time function. kinds checks the
// bound argument types, one letter per argument, the last repeating:
//
//	s string  i int64  f float64  b bool  d date  p timestamp
//	t date or timestamp  n any number  * anything
func rowBuilder(kinds string, flags callFlags, mk rowMaker) builder {
	return func(c *compiler, e *expr.Expr, args []node) (node, error) {
		for i := range e.Args {
			if len(kinds) == 0 {
				return nil, invalidf("%s takes no arguments", e.Name)
			}
			k := kinds[min(i, len(kinds)-1)]
			if err := wantType(e, i, kindOK(k), kindName(k)); err != nil {
				return nil, err
			}
		}
		f, err := mk(e, args)
		if err != nil {
			return nil, err
		}
		return rowCall(e, args, f, flags), nil
	}
}

func kindOK(k byte) func(types.Type) bool {
	switch k {
	case 's':
		return isType(types.String)
	case 'i':
		return isType(types.Int64)
	case 'f':
		return isType(types.Float64)
	case 'b':
		return isType(types.Bool)
	case 'd':
		return isType(types.Date)
	case 'p':
		return isType(types.Timestamp)
	case 't':
		return isTemporal
	case 'n':
		return types.Type.IsNumeric
	}
	return func(types.Type) bool { return true }
}

func kindName(k byte) string {
	return map[byte]string{'s': "string", 'i': "int64", 'f': "float64", 'b': "bool", 'd': "date",
		'p': "timestamp", 't': "date or timestamp", 'n': "number", '*': "any"}[k]
}

// fixed1 adapts a rowFn that needs no preparation.
func fixed1(f rowFn) rowMaker {
	return func(*expr.Expr, []node) (rowFn, error) { return f, nil }
}

// constArg returns argument i when it is a compiled constant.
func constArg(args []node, i int) (types.Value, bool) {
	if i >= len(args) {
		return types.Value{}, false
	}
	l, ok := args[i].(*litNode)
	if !ok {
		return types.Value{}, false
	}
	return l.val, true
}
