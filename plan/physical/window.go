package physical

import (
	"fmt"
	"strings"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
)

// WindowSpec computes window functions over an input sorted by the
// partition keys, then the order keys (see planner.window). Lookahead is
// logical.WindowLookahead(Funcs), kept in the spec so explain shows whether
// the operator streams or holds whole partitions.
type WindowSpec struct {
	PartitionBy []*expr.Expr         `json:"partition_by,omitempty"`
	OrderBy     []logical.SortKey    `json:"order_by,omitempty"`
	Funcs       []logical.WindowFunc `json:"funcs"`
	Lookahead   logical.Lookahead    `json:"lookahead"`
}

// window plans a Window: a hash exchange on the partition keys (a single
// partition without them), a sort by partition keys then order keys (the
// sort spills), and the window operator streaming over the sorted runs.
// Over a Window with the same partition keys the exchange is skipped, and
// the sort too when the order is also the same: that node's output is
// still partitioned and sorted.
func (p *planner) window(w *logical.Window) (*Node, error) {
	in, err := p.plan(w.Input)
	if err != nil {
		return nil, err
	}
	keys := WindowSortKeys(w.PartitionBy, w.OrderBy)
	below, sorted := in, false
	if samePartitioning(in, w.PartitionBy) {
		sorted = sameSortKeys(in.Window.sortKeys(), keys)
	} else {
		below = p.hashOrSingle(in, w.PartitionBy)
	}
	if !sorted && len(keys) > 0 {
		below = &Node{Op: OpSort, Inputs: []*Node{below}, Schema: below.Schema, Sort: &SortSpec{Keys: keys}}
	}
	return &Node{Op: OpWindow, Inputs: []*Node{below}, Schema: w.Schema(), Window: &WindowSpec{
		PartitionBy: w.PartitionBy, OrderBy: w.OrderBy, Funcs: w.Funcs, Lookahead: logical.WindowLookahead(w.Funcs),
	}}, nil
}

// WindowSortKeys is the order a window operator needs its input in: the
// partition keys (ascending, any order groups them), then the order keys.
func WindowSortKeys(partitionBy []*expr.Expr, orderBy []logical.SortKey) []logical.SortKey {
	keys := make([]logical.SortKey, 0, len(partitionBy)+len(orderBy))
	for _, e := range partitionBy {
		keys = append(keys, logical.SortKey{Expr: e})
	}
	return append(keys, orderBy...)
}

func (s *WindowSpec) sortKeys() []logical.SortKey {
	return WindowSortKeys(s.PartitionBy, s.OrderBy)
}

// samePartitioning reports whether in is a Window partitioned by keys (its
// input columns keep their ordinals, so the keys mean the same there).
func samePartitioning(in *Node, keys []*expr.Expr) bool {
	return in.Op == OpWindow && exprList(in.Window.PartitionBy) == exprList(keys)
}

func sameSortKeys(a, b []logical.SortKey) bool {
	return sortKeys(a) == sortKeys(b)
}

func (s *WindowSpec) describe() string {
	funcs := make([]string, len(s.Funcs))
	for i, f := range s.Funcs {
		funcs[i] = f.String()
	}
	d := fmt.Sprintf("Window partition=[%s] order=[%s] funcs=[%s]", exprList(s.PartitionBy), sortKeys(s.OrderBy), strings.Join(funcs, ", "))
	switch s.Lookahead {
	case logical.LookPartition:
		return d + " buffers whole partitions for [" + strings.Join(logical.BufferedFuncs(s.Funcs), ", ") + "]"
	case logical.LookRows:
		ahead := int64(0)
		for _, f := range s.Funcs {
			ahead = max(ahead, f.RowsAhead())
		}
		return fmt.Sprintf("%s streaming (%d rows ahead)", d, ahead)
	}
	return d + " streaming"
}
