package logical

import (
	"fmt"
	"strings"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// JoinType is the kind of join.
type JoinType uint8

// Join types. Semi and Anti output the left columns only. Right keeps every
// right row (left columns NULL when unmatched), Full keeps every row of both.
// Mark outputs every left row once plus one non-nullable BOOLEAN column
// (named by Join.MarkName) that is true when at least one right row matches
// the keys and the residual filter: EXISTS / IN that are not a plain
// conjunct of WHERE are planned as a Mark join and a filter over its column.
// An inner join without keys or filter is a cross join.
const (
	InnerJoin JoinType = iota
	LeftJoin
	SemiJoin
	AntiJoin
	RightJoin
	FullJoin
	MarkJoin
)

var joinTypeNames = [...]string{"inner", "left", "semi", "anti", "right", "full", "mark"}

func (t JoinType) String() string {
	if int(t) < len(joinTypeNames) {
		return joinTypeNames[t]
	}
	return fmt.Sprintf("JoinType(%d)", t)
}

// ParseJoinType reads the name of a join type a user may write: inner,
// left, semi, anti, right or full (mark joins are the planner's own, for
// subqueries).
func ParseJoinType(s string) (JoinType, error) {
	for i, n := range joinTypeNames[:MarkJoin] {
		if n == s {
			return JoinType(i), nil
		}
	}
	return 0, fmt.Errorf("unknown join type %q (want one of %s)", s, strings.Join(joinTypeNames[:MarkJoin], ", "))
}

// EmitsRight reports whether the join's output holds the right columns.
func (t JoinType) EmitsRight() bool {
	return t == InnerJoin || t == LeftJoin || t == RightJoin || t == FullJoin
}

// KeepsUnmatchedRight reports whether a right row without a match is output
// (NULL-extended): the build side's rows must then be seen by exactly one
// task, so such joins are never broadcast on the right.
func (t JoinType) KeepsUnmatchedRight() bool { return t == RightJoin || t == FullJoin }

// JoinStrategy is how the join is executed; chosen by the optimizer.
type JoinStrategy uint8

// Join strategies. Broadcast ships the right side whole to every task of the
// left side; Shuffle partitions both sides by key.
const (
	StrategyAuto JoinStrategy = iota
	StrategyBroadcast
	StrategyShuffle
)

var strategyNames = [...]string{"auto", "broadcast", "shuffle"}

func (s JoinStrategy) String() string { return strategyNames[s] }

// Join is an equi-join: LeftKeys[i] = RightKeys[i] for all i (bound against
// Left's and Right's schemas), plus an optional residual Filter bound against
// the concatenated schema (left columns, then right columns, whatever the
// type). The right side is the build side; the optimizer swaps inputs of
// inner joins to build on the smaller one.
//
// A Join without keys is a nested-loop join: Filter is the whole condition,
// and no Filter at all makes it a cross join (InnerJoin, no keys, no
// Filter). NULL keys never match, unless NullSafe[i] is set for key i (IS
// NOT DISTINCT FROM: NULL matches NULL), as set operations need.
type Join struct {
	Left      Node         `json:"-"`
	Right     Node         `json:"-"`
	Type      JoinType     `json:"type"`
	LeftKeys  []*expr.Expr `json:"left_keys"`
	RightKeys []*expr.Expr `json:"right_keys"`
	Filter    *expr.Expr   `json:"filter,omitempty"`
	Strategy  JoinStrategy `json:"strategy"`
	// MarkName names the BOOLEAN column a MarkJoin appends.
	MarkName string `json:"mark_name,omitempty"`
	// NullSafe, when set, has one entry per key.
	NullSafe []bool `json:"null_safe,omitempty"`
}

var _ Node = (*Join)(nil)

func (j *Join) Schema() *types.Schema {
	l := j.Left.Schema()
	switch j.Type {
	case SemiJoin, AntiJoin:
		return l
	case LeftJoin:
		return l.Concat(nullable(j.Right.Schema()))
	case RightJoin:
		return nullable(l).Concat(j.Right.Schema())
	case FullJoin:
		return nullable(l).Concat(nullable(j.Right.Schema()))
	case MarkJoin:
		return l.Concat(&types.Schema{Fields: []types.Field{MarkField(j.MarkName)}})
	}
	return l.Concat(j.Right.Schema())
}

// MarkField is the column a mark join appends.
func MarkField(name string) types.Field {
	return types.Field{Name: name, Type: types.BoolType, Nullable: false}
}

// nullable copies s with every column nullable (an outer join's NULL side).
func nullable(s *types.Schema) *types.Schema {
	out := &types.Schema{Fields: append([]types.Field(nil), s.Fields...)}
	for i := range out.Fields {
		out.Fields[i].Nullable = true
	}
	return out
}

// NullSafeKey reports whether key i matches NULL with NULL.
func (j *Join) NullSafeKey(i int) bool { return i < len(j.NullSafe) && j.NullSafe[i] }

func (j *Join) Children() []Node { return []Node{j.Left, j.Right} }

func (j *Join) WithChildren(children ...Node) Node {
	mustChildren(2, children, "Join")
	c := *j
	c.Left, c.Right = children[0], children[1]
	return &c
}

func (j *Join) Describe() string {
	return "Join " + DescribeJoin(j.Type, j.Strategy, j.LeftKeys, j.RightKeys, j.NullSafe, j.Filter, j.MarkName)
}

// DescribeJoin is the explain text of a join's condition, shared with the
// physical plan: "inner broadcast on [a] = [b] filter …", "cross" for a
// cross join, "mark AS m …" for a mark join, "<=>" keys for null-safe ones.
func DescribeJoin(t JoinType, s JoinStrategy, lk, rk []*expr.Expr, nullSafe []bool, filter *expr.Expr, mark string) string {
	name := t.String()
	if t == InnerJoin && len(lk) == 0 && filter == nil {
		name = "cross"
	}
	if t == MarkJoin {
		name += " AS " + mark
	}
	out := name + " " + s.String()
	if len(lk) > 0 {
		out += fmt.Sprintf(" on [%s] = [%s]", exprList(lk), exprList(rk))
	}
	for _, ns := range nullSafe {
		if ns {
			out += fmt.Sprintf(" null_safe=%v", nullSafe)
			break
		}
	}
	if filter != nil {
		out += " filter " + filter.String()
	}
	return out
}
