package logical

import (
	"errors"
	"fmt"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// SetOpKind is INTERSECT or EXCEPT. (UNION ALL is Union; UNION DISTINCT is
// Distinct over a Union.)
type SetOpKind uint8

// Set operations.
const (
	Intersect SetOpKind = iota
	Except
)

var setOpNames = [...]string{"Intersect", "Except"}

func (k SetOpKind) String() string { return setOpNames[k] }

// ErrSetOp reports set operation inputs that do not line up.
var ErrSetOp = errors.New("invalid set operation")

// SetOp is INTERSECT or EXCEPT, DISTINCT or (All) ALL, of two inputs whose
// column types are equal (NewSetOp inserts the casts). Rows compare with
// NULLs equal, as in SQL's set operations. INTERSECT ALL keeps min(l, r)
// copies of a row that occurs l times on the left and r on the right,
// EXCEPT ALL max(l − r, 0); the DISTINCT forms keep one copy when that is
// positive. The output takes the left input's column names, unqualified.
//
// SetOp is not executed as such: the optimizer's lower_set_ops rule (and
// the physical planner, for plans that skip it) rewrite it with Lower.
type SetOp struct {
	Kind  SetOpKind `json:"kind"`
	All   bool      `json:"all,omitempty"`
	Left  Node      `json:"-"`
	Right Node      `json:"-"`
}

var _ Node = (*SetOp)(nil)

// NewSetOp checks that the inputs have as many columns, converts each pair
// of column types to their common type (types.Common, as UNION does) with a
// Project over an input that needs casts, and returns the SetOp.
func NewSetOp(kind SetOpKind, all bool, left, right Node) (*SetOp, error) {
	ls, rs := left.Schema(), right.Schema()
	if ls.Len() != rs.Len() {
		return nil, fmt.Errorf("%w: %s inputs have %d and %d columns", ErrSetOp, kind, ls.Len(), rs.Len())
	}
	targets := make([]types.Type, ls.Len())
	for i, f := range ls.Fields {
		t, ok := types.Common(f.Type, rs.Fields[i].Type)
		if !ok {
			return nil, fmt.Errorf("%w: %s column %d (%s) mixes %s and %s", ErrSetOp, kind, i+1, f.Name, f.Type, rs.Fields[i].Type)
		}
		if t.ID == types.Null {
			t = types.Int32Type
		}
		targets[i] = t
	}
	return &SetOp{Kind: kind, All: all, Left: CastColumns(left, targets), Right: CastColumns(right, targets)}, nil
}

// CastColumns returns n with its columns converted to targets: n itself
// when the types already match, else a Project of casts over it.
func CastColumns(n Node, targets []types.Type) Node {
	s := n.Schema()
	same := true
	exprs := make([]*expr.Expr, s.Len())
	for i, f := range s.Fields {
		exprs[i] = expr.BoundCol(i, f)
		if f.Type != targets[i] {
			same = false
			c := expr.Cast(exprs[i], targets[i])
			c.Nullable = f.Nullable
			exprs[i] = c
		}
	}
	if same {
		return n
	}
	return &Project{Input: n, Exprs: exprs, Names: s.Names()}
}

func (s *SetOp) Schema() *types.Schema {
	ls, rs := s.Left.Schema(), s.Right.Schema()
	out := &types.Schema{Fields: make([]types.Field, ls.Len())}
	for i, f := range ls.Fields {
		out.Fields[i] = types.Field{Name: f.Name, Type: f.Type, Nullable: f.Nullable || rs.Fields[i].Nullable}
	}
	return out
}

func (s *SetOp) Children() []Node { return []Node{s.Left, s.Right} }

func (s *SetOp) WithChildren(children ...Node) Node {
	mustChildren(2, children, "SetOp")
	c := *s
	c.Left, c.Right = children[0], children[1]
	return &c
}

func (s *SetOp) Describe() string {
	q := "distinct"
	if s.All {
		q = "all"
	}
	return fmt.Sprintf("SetOp %s %s", s.Kind, q)
}
