package logical

import (
	"errors"
	"strings"
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

func oneColumn(t *testing.T, name string, v types.Value) *Values {
	t.Helper()
	n, err := NewValues([][]*expr.Expr{{expr.Lit(v)}}, []string{name}, "")
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestNewSetOp(t *testing.T) {
	l := oneColumn(t, "a", types.Int64Value(1))
	r := oneColumn(t, "b", types.Float64Value(1))
	s, err := NewSetOp(Except, true, l, r)
	if err != nil {
		t.Fatal(err)
	}
	if f := s.Schema().Fields[0]; f.Name != "a" || f.Type != types.Float64Type {
		t.Errorf("schema %s", s.Schema())
	}
	if _, ok := s.Left.(*Project); !ok {
		t.Errorf("left not cast:\n%s", Format(s))
	}
	if s.Right != Node(r) {
		t.Errorf("right changed though its type is the common one")
	}
	if _, err := NewSetOp(Intersect, false, l, oneColumn(t, "s", types.StringValue("x"))); !errors.Is(err, ErrSetOp) {
		t.Errorf("string vs int: %v", err)
	}
	two, err := NewValues([][]*expr.Expr{{expr.Lit(types.Int64Value(1)), expr.Lit(types.Int64Value(2))}}, []string{"a", "b"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewSetOp(Intersect, false, l, two); !errors.Is(err, ErrSetOp) {
		t.Errorf("widths: %v", err)
	}
}

func TestSetOpLower(t *testing.T) {
	l := oneColumn(t, "a", types.Int64Value(1))
	r := oneColumn(t, "a", types.Int64Value(2))
	for _, tc := range []struct {
		kind   SetOpKind
		all    bool
		filter string
		copies string
	}{
		{Intersect, false, "((__setop_left#1 > 0) AND (__setop_right#2 > 0))", ""},
		{Intersect, true, "((__setop_left#1 > 0) AND (__setop_right#2 > 0))", "case((__setop_left#1 < __setop_right#2), __setop_left#1, __setop_right#2)"},
		{Except, false, "((__setop_left#1 > 0) AND (__setop_right#2 = 0))", ""},
		{Except, true, "(__setop_left#1 > __setop_right#2)", "(__setop_left#1 - __setop_right#2)"},
	} {
		s := &SetOp{Kind: tc.kind, All: tc.all, Left: l, Right: r}
		n, err := s.Lower()
		if err != nil {
			t.Fatal(err)
		}
		plan := Format(n)
		if !strings.Contains(plan, "Filter "+tc.filter) || (tc.copies != "") != strings.Contains(plan, "Replicate rows × "+tc.copies) {
			t.Errorf("%s all=%v:\n%s", tc.kind, tc.all, plan)
		}
		if n.Schema().String() != s.Schema().String() {
			t.Errorf("lowered schema %s, want %s", n.Schema(), s.Schema())
		}
	}
	bad := &SetOp{Kind: Intersect, Left: l, Right: oneColumn(t, "a", types.Float64Value(1))}
	if _, err := bad.Lower(); !errors.Is(err, ErrSetOp) {
		t.Errorf("mismatched types: %v", err)
	}
}

func TestLimitDescribe(t *testing.T) {
	in := OneRow()
	for _, tc := range []struct {
		l    *Limit
		want string
	}{
		{NewLimit(in, 10, 0), "Limit 10"},
		{NewLimit(in, 10, 5), "Limit 10 offset 5"},
		{NewLimit(in, -1, 5), "Offset 5"},
		{NewLimit(in, 0, 0), "Limit 0"},
	} {
		if got := tc.l.Describe(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
	if l := NewLimit(in, -1, 3); !l.Unbounded() || l.End() != NoLimit {
		t.Errorf("offset only: unbounded=%v end=%d", l.Unbounded(), l.End())
	}
	if l := NewLimit(in, 4, 3); l.End() != 7 {
		t.Errorf("end %d", l.End())
	}
}
