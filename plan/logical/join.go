package logical

import (
	"fmt"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// JoinType is the kind of join.
type JoinType uint8

// Join types. Semi and Anti output the left columns only.
const (
	InnerJoin JoinType = iota
	LeftJoin
	SemiJoin
	AntiJoin
)

var joinTypeNames = [...]string{"inner", "left", "semi", "anti"}

func (t JoinType) String() string { return joinTypeNames[t] }

// ParseJoinType reads inner, left, semi or anti.
func ParseJoinType(s string) (JoinType, error) {
	for i, n := range joinTypeNames {
		if n == s {
			return JoinType(i), nil
		}
	}
	return 0, fmt.Errorf("unknown join type %q (want inner, left, semi or anti)", s)
}

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
// the concatenated schema (left columns, then right columns). The right side
// is the build side; the optimizer swaps inputs of inner joins to build on
// the smaller one.
type Join struct {
	Left      Node         `json:"-"`
	Right     Node         `json:"-"`
	Type      JoinType     `json:"type"`
	LeftKeys  []*expr.Expr `json:"left_keys"`
	RightKeys []*expr.Expr `json:"right_keys"`
	Filter    *expr.Expr   `json:"filter,omitempty"`
	Strategy  JoinStrategy `json:"strategy"`
}

var _ Node = (*Join)(nil)

func (j *Join) Schema() *types.Schema {
	l := j.Left.Schema()
	switch j.Type {
	case SemiJoin, AntiJoin:
		return l
	case LeftJoin:
		r := j.Right.Schema()
		nr := &types.Schema{Fields: append([]types.Field(nil), r.Fields...)}
		for i := range nr.Fields {
			nr.Fields[i].Nullable = true
		}
		return l.Concat(nr)
	}
	return l.Concat(j.Right.Schema())
}

func (j *Join) Children() []Node { return []Node{j.Left, j.Right} }

func (j *Join) WithChildren(children ...Node) Node {
	mustChildren(2, children, "Join")
	c := *j
	c.Left, c.Right = children[0], children[1]
	return &c
}

func (j *Join) Describe() string {
	s := fmt.Sprintf("Join %s %s on [%s] = [%s]", j.Type, j.Strategy, exprList(j.LeftKeys), exprList(j.RightKeys))
	if j.Filter != nil {
		s += " filter " + j.Filter.String()
	}
	return s
}
