package logical

import (
	"strings"
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

type leaf struct{ s *types.Schema }

func (l leaf) Schema() *types.Schema     { return l.s }
func (l leaf) Children() []Node          { return nil }
func (l leaf) WithChildren(...Node) Node { return l }
func (l leaf) Describe() string          { return "leaf" }

func twoCols(q string) leaf {
	return leaf{&types.Schema{Fields: []types.Field{
		{Qualifier: q, Name: "k", Type: types.Int64Type},
		{Qualifier: q, Name: "v", Type: types.StringType},
	}}}
}

// TestJoinSchemas: which columns each type outputs and which turn nullable.
func TestJoinSchemas(t *testing.T) {
	tests := []struct {
		typ  JoinType
		want string // name:nullable per column
	}{
		{InnerJoin, "k:false v:false k:false v:false"},
		{LeftJoin, "k:false v:false k:true v:true"},
		{RightJoin, "k:true v:true k:false v:false"},
		{FullJoin, "k:true v:true k:true v:true"},
		{SemiJoin, "k:false v:false"},
		{AntiJoin, "k:false v:false"},
		{MarkJoin, "k:false v:false m:false"},
	}
	for _, tt := range tests {
		j := &Join{Left: twoCols("l"), Right: twoCols("r"), Type: tt.typ}
		if tt.typ == MarkJoin {
			j.MarkName = "m"
		}
		var parts []string
		for _, f := range j.Schema().Fields {
			parts = append(parts, f.Name+":"+map[bool]string{true: "true", false: "false"}[f.Nullable])
		}
		if got := strings.Join(parts, " "); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.typ, got, tt.want)
		}
		if tt.typ == MarkJoin && j.Schema().Fields[2].Type != types.BoolType {
			t.Errorf("mark column is %s", j.Schema().Fields[2].Type)
		}
	}
}

func TestParseJoinType(t *testing.T) {
	for _, name := range []string{"inner", "left", "semi", "anti", "right", "full"} {
		typ, err := ParseJoinType(name)
		if err != nil || typ.String() != name {
			t.Errorf("%s: got %s, %v", name, typ, err)
		}
	}
	for _, name := range []string{"mark", "outer", ""} {
		if _, err := ParseJoinType(name); err == nil {
			t.Errorf("%q parsed", name)
		}
	}
}

func TestDescribeJoin(t *testing.T) {
	l, r := twoCols("l"), twoCols("r")
	k := []*expr.Expr{expr.BoundCol(0, l.s.Fields[0])}
	tests := []struct {
		j    *Join
		want string
	}{
		{&Join{Left: l, Right: r}, "Join cross auto"},
		{&Join{Left: l, Right: r, Type: MarkJoin, MarkName: "m", LeftKeys: k, RightKeys: k, NullSafe: []bool{true}},
			"Join mark AS m auto on [l.k#0] = [l.k#0] null_safe=[true]"},
		{&Join{Left: l, Right: r, Type: FullJoin, LeftKeys: k, RightKeys: k, Strategy: StrategyShuffle},
			"Join full shuffle on [l.k#0] = [l.k#0]"},
	}
	for _, tt := range tests {
		if got := tt.j.Describe(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}
