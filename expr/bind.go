package expr

import (
	"fmt"
	"strings"
	"time"

	"github.com/drover-etl/drover/types"
)

// FuncResolver types plugin functions (names with a dot, "textkit.slug"):
// it returns the result type for the given argument types or an error
// when the plugin has no such function or the arguments do not fit.
type FuncResolver interface {
	ResolveFunc(name string, args []types.Type) (types.Type, error)
}

// Bind resolves every column of e against schema, type-checks every call,
// and returns a new tree that satisfies the "Bound trees" contract (see the
// end of functions.go): casts are inserted wherever operand types differ,
// literals are converted at bind time where that is exact (so int32_col = 5
// compares as int32, and day = '2026-11-20' compares two dates). Columns
// already bound (Index >= 0) are kept and re-typed from schema, which lets
// planners bind trees they assembled from bound pieces. e is not modified.
// funcs may be nil when no plugin functions are available.
func Bind(e *Expr, schema *types.Schema, funcs FuncResolver) (*Expr, error) {
	b := &binder{schema: schema, funcs: funcs}
	return b.bind(e)
}

type binder struct {
	schema *types.Schema
	funcs  FuncResolver
	clock  time.Time // the query's instant, read once (see now)
}

func (b *binder) bind(e *Expr) (*Expr, error) {
	switch e.Kind {
	case KindColumn:
		return b.bindColumn(e)
	case KindLiteral:
		return Lit(e.Value), nil
	case KindCall:
		return b.bindCall(e)
	}
	return nil, fmt.Errorf("expr: unknown node kind %d", e.Kind)
}

func (b *binder) bindColumn(e *Expr) (*Expr, error) {
	if e.Index != Unbound {
		if e.Index < 0 || e.Index >= b.schema.Len() {
			return nil, fmt.Errorf("column %s: ordinal %d outside a schema of %d columns", e, e.Index, b.schema.Len())
		}
		return BoundCol(e.Index, b.schema.Fields[e.Index]), nil
	}
	i, err := b.schema.Resolve(e.Qualifier, e.Name)
	if err != nil {
		return nil, err
	}
	return BoundCol(i, b.schema.Fields[i]), nil
}

func (b *binder) bindCall(e *Expr) (*Expr, error) {
	args := make([]*Expr, len(e.Args))
	for i, a := range e.Args {
		ba, err := b.bind(a)
		if err != nil {
			return nil, err
		}
		args[i] = ba
	}
	if strings.Contains(e.Name, ".") {
		return b.bindPlugin(e, args)
	}
	sig, ok := signatures[e.Name]
	if !ok {
		return nil, unknownFunction(e.Name)
	}
	if len(args) < sig.min || (sig.max >= 0 && len(args) > sig.max) {
		return nil, &bindError{kind: ErrArity, msg: fmt.Sprintf("%s takes %s, got %d in %s", e.Name, sig.arity(), len(args), e)}
	}
	return sig.bind(b, e, args)
}

func (b *binder) bindPlugin(e *Expr, args []*Expr) (*Expr, error) {
	if Plugins(b.funcs) == nil {
		return nil, &bindError{kind: ErrUnknownFunction, msg: fmt.Sprintf("unknown function %q (no plugin provides it)", e.Name)}
	}
	argTypes := make([]types.Type, len(args))
	for i, a := range args {
		argTypes[i] = a.Type
	}
	t, err := b.funcs.ResolveFunc(e.Name, argTypes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", e, err)
	}
	// Plugins may return NULL for any row; nothing says otherwise.
	return typedCall(e.Name, t, true, args...), nil
}

func unknownFunction(name string) error {
	msg := fmt.Sprintf("unknown function %q", name)
	if s := nearestFunction(name); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return &bindError{kind: ErrUnknownFunction, msg: msg}
}

// typedCall builds a bound call node.
func typedCall(name string, t types.Type, nullable bool, args ...*Expr) *Expr {
	c := Call(name, args...)
	c.Type = t
	c.Nullable = nullable
	return c
}

// anyNullable reports whether any of es may be NULL.
func anyNullable(es []*Expr) bool {
	for _, e := range es {
		if e.Nullable {
			return true
		}
	}
	return false
}
