package physical

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

func testScan(name string) *logical.Scan {
	s := &types.Schema{Fields: []types.Field{
		{Qualifier: name, Name: "k", Type: types.Int64Type, Nullable: true},
		{Qualifier: name, Name: "v", Type: types.Int64Type, Nullable: true},
	}}
	return &logical.Scan{Source: name, Format: "parquet", Path: "data/" + name, Table: s}
}

func twoSplits(context.Context, *logical.Scan) ([]format.Split, error) {
	return []format.Split{{URL: "a"}, {URL: "b"}}, nil
}

// TestJoinPlanning checks the exchanges each join type and strategy gets,
// the explain text, and that the plan survives JSON as task specs do.
func TestJoinPlanning(t *testing.T) {
	l, r := testScan("l"), testScan("r")
	both := l.Schema().Concat(r.Schema())
	keys := func(j *logical.Join) *logical.Join {
		j.LeftKeys, j.RightKeys = []*expr.Expr{expr.BoundCol(0, l.Schema().Fields[0])}, []*expr.Expr{expr.BoundCol(0, r.Schema().Fields[0])}
		return j
	}
	lt := expr.Call(expr.FnLt, expr.BoundCol(1, both.Fields[1]), expr.BoundCol(3, both.Fields[3]))
	lt.Type = types.BoolType
	tests := []struct {
		name string
		join *logical.Join
		want string
	}{
		{"broadcast inner", keys(&logical.Join{Type: logical.InnerJoin, Strategy: logical.StrategyBroadcast}),
			"HashJoin inner broadcast on [l.k#0] = [r.k#0]\n  Scan l\n  Exchange broadcast\n    Scan r\n"},
		{"right join is never broadcast", keys(&logical.Join{Type: logical.RightJoin, Strategy: logical.StrategyBroadcast}),
			"HashJoin right shuffle on [l.k#0] = [r.k#0]\n  Exchange hash [l.k#0] partitions=4\n    Scan l\n  Exchange hash [r.k#0] partitions=4\n    Scan r\n"},
		{"full join shuffles", keys(&logical.Join{Type: logical.FullJoin}),
			"HashJoin full shuffle on [l.k#0] = [r.k#0]\n  Exchange hash [l.k#0] partitions=4\n    Scan l\n  Exchange hash [r.k#0] partitions=4\n    Scan r\n"},
		{"mark join", keys(&logical.Join{Type: logical.MarkJoin, MarkName: "m", NullSafe: []bool{true}, Strategy: logical.StrategyBroadcast}),
			"HashJoin mark AS m broadcast on [l.k#0] = [r.k#0] null_safe=[true]\n  Scan l\n  Exchange broadcast\n    Scan r\n"},
		{"cross join broadcasts the right side", &logical.Join{Type: logical.InnerJoin},
			"NestedLoopJoin cross broadcast\n  Scan l\n  Exchange broadcast\n    Scan r\n"},
		{"keyless left join", &logical.Join{Type: logical.LeftJoin, Filter: lt, Strategy: logical.StrategyShuffle},
			"NestedLoopJoin left broadcast filter (l.v#1 < r.v#3)\n  Scan l\n  Exchange broadcast\n    Scan r\n"},
		{"keyless full join runs in one partition", &logical.Join{Type: logical.FullJoin, Filter: lt},
			"NestedLoopJoin full shuffle filter (l.v#1 < r.v#3)\n  Exchange single\n    Scan l\n  Exchange single\n    Scan r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.join.Left, tt.join.Right = l, r
			n, err := (&planner{ctx: context.Background(), cfg: Config{Partitions: 4, Splitter: twoSplits}}).plan(tt.join)
			if err != nil {
				t.Fatal(err)
			}
			got := Format(n)
			// Scans' descriptions carry columns and splits; keep the op name.
			var lines []string
			for _, line := range strings.Split(strings.TrimRight(got, "\n"), "\n") {
				if i := strings.Index(line, "Scan "); i >= 0 {
					line = line[:i+6]
				}
				lines = append(lines, line)
			}
			if g := strings.Join(lines, "\n") + "\n"; g != tt.want {
				t.Fatalf("got\n%s\nwant\n%s", g, tt.want)
			}
			b, err := json.Marshal(n)
			if err != nil {
				t.Fatal(err)
			}
			var back Node
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if Format(&back) != got {
				t.Fatalf("JSON round trip changed the plan:\n%s\nvs\n%s", Format(&back), got)
			}
			if !equalSchemas(back.Schema, n.Schema) {
				t.Fatalf("schema changed through JSON: %v vs %v", back.Schema, n.Schema)
			}
		})
	}
}

func equalSchemas(a, b *types.Schema) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}
