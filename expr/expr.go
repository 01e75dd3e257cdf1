package expr

import (
	"fmt"
	"strings"

	"github.com/drover-etl/drover/types"
)

// Kind says which of the three expression shapes a node is.
type Kind uint8

// Expression kinds.
const (
	KindColumn Kind = iota
	KindLiteral
	KindCall
)

var kindNames = [...]string{"column", "literal", "call"}

func (k Kind) String() string { return kindNames[k] }

// Expr is one node of an expression tree.
//
// A Column has Qualifier and Name; once bound, Index is its ordinal in the
// input schema (Unbound before). A Literal has Value. A Call has Name (the
// function, see the Fn constants) and Args. Type and Nullable are the
// result's, set by Bind; a Cast call's target type is its Type.
type Expr struct {
	Kind      Kind        `json:"k"`
	Qualifier string      `json:"q,omitempty"`
	Name      string      `json:"n,omitempty"`
	Index     int         `json:"i"`
	Value     types.Value `json:"v,omitzero"`
	Args      []*Expr     `json:"a,omitempty"`
	Type      types.Type  `json:"t"`
	Nullable  bool        `json:"nul,omitempty"`
}

// Unbound is the Index of a column not yet resolved against a schema.
const Unbound = -1

// Col is an unbound column reference; qualifier may be empty.
func Col(qualifier, name string) *Expr {
	return &Expr{Kind: KindColumn, Qualifier: qualifier, Name: name, Index: Unbound}
}

// BoundCol is a column reference already resolved to ordinal i of a schema.
func BoundCol(i int, f types.Field) *Expr {
	return &Expr{Kind: KindColumn, Qualifier: f.Qualifier, Name: f.Name, Index: i, Type: f.Type, Nullable: f.Nullable}
}

// Lit is a literal.
func Lit(v types.Value) *Expr {
	return &Expr{Kind: KindLiteral, Value: v, Index: Unbound, Type: v.Type, Nullable: v.Null}
}

// Call is a call of function name with args.
func Call(name string, args ...*Expr) *Expr {
	return &Expr{Kind: KindCall, Name: name, Args: args, Index: Unbound}
}

// Cast converts e to t.
func Cast(e *Expr, t types.Type) *Expr {
	c := Call(FnCast, e)
	c.Type = t
	return c
}

// IsLiteral reports whether e is a literal.
func (e *Expr) IsLiteral() bool { return e.Kind == KindLiteral }

// IsCall reports whether e is a call of the named function.
func (e *Expr) IsCall(name string) bool { return e.Kind == KindCall && e.Name == name }

// Clone returns a deep copy.
func (e *Expr) Clone() *Expr {
	c := *e
	if e.Args != nil {
		c.Args = make([]*Expr, len(e.Args))
		for i, a := range e.Args {
			c.Args[i] = a.Clone()
		}
	}
	return &c
}

// Walk calls fn on e and its descendants, parents first, until fn returns false.
func Walk(e *Expr, fn func(*Expr) bool) bool {
	if !fn(e) {
		return false
	}
	for _, a := range e.Args {
		if !Walk(a, fn) {
			return false
		}
	}
	return true
}

// Transform rebuilds e bottom-up, replacing each node by fn(node) after its
// children were transformed. fn may return its argument unchanged. The
// input tree is not modified.
func Transform(e *Expr, fn func(*Expr) (*Expr, error)) (*Expr, error) {
	c := *e
	if e.Args != nil {
		c.Args = make([]*Expr, len(e.Args))
		for i, a := range e.Args {
			na, err := Transform(a, fn)
			if err != nil {
				return nil, err
			}
			c.Args[i] = na
		}
	}
	return fn(&c)
}

// Columns returns the distinct bound column ordinals e reads, in first-use order.
func Columns(e *Expr) []int {
	var out []int
	seen := map[int]bool{}
	Walk(e, func(n *Expr) bool {
		if n.Kind == KindColumn && !seen[n.Index] {
			seen[n.Index] = true
			out = append(out, n.Index)
		}
		return true
	})
	return out
}

// Equal reports whether two trees are structurally identical.
func Equal(a, b *Expr) bool { return a.String() == b.String() && a.Type == b.Type }

// String renders e as SQL-like text, used by explain output and golden files.
func (e *Expr) String() string {
	var sb strings.Builder
	e.format(&sb)
	return sb.String()
}

func (e *Expr) format(sb *strings.Builder) {
	switch e.Kind {
	case KindColumn:
		if e.Qualifier != "" {
			sb.WriteString(e.Qualifier + ".")
		}
		sb.WriteString(e.Name)
		if e.Index != Unbound {
			fmt.Fprintf(sb, "#%d", e.Index)
		}
	case KindLiteral:
		sb.WriteString(e.Value.String())
	case KindCall:
		e.formatCall(sb)
	}
}

func (e *Expr) formatCall(sb *strings.Builder) {
	if op, ok := infix[e.Name]; ok && len(e.Args) == 2 {
		sb.WriteByte('(')
		e.Args[0].format(sb)
		sb.WriteString(" " + op + " ")
		e.Args[1].format(sb)
		sb.WriteByte(')')
		return
	}
	sb.WriteString(e.Name)
	sb.WriteByte('(')
	for i, a := range e.Args {
		if i > 0 {
			sb.WriteString(", ")
		}
		a.format(sb)
	}
	if e.Name == FnCast {
		sb.WriteString(" AS " + e.Type.String())
	}
	sb.WriteByte(')')
}

var infix = map[string]string{
	FnAdd: "+", FnSub: "-", FnMul: "*", FnDiv: "/", FnMod: "%",
	FnEq: "=", FnNe: "<>", FnLt: "<", FnLe: "<=", FnGt: ">", FnGe: ">=",
	FnAnd: "AND", FnOr: "OR", FnConcat: "||",
}
