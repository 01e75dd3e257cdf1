package adaptive

import (
	"slices"

	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/stage"
)

// shape is what a stage's fragment allows adaptive execution to change.
type shape struct {
	// hash are the upstream stages read hash-partitioned, all with the
	// same partition count; only such stages are coalesced.
	hash []int
	// join is the stage's shuffled hash join when its two sides are the
	// two hash reads and every operator above it handles each row on its
	// own (so a key's rows may be spread over tasks): skew splits and the
	// broadcast switch apply only then.
	join        *physical.Node
	left, right int
	// held are the hash reads some operator keeps in memory (a join's
	// build side, a final aggregation's, a sort's or a window's input);
	// the others stream through row-wise operators and join probes.
	held map[int]bool
	// bcast are the stages read whole by every task (broadcast builds).
	bcast []int
}

// analyze inspects a stage. ok is false when the stage must keep one task
// per partition: it scans files, unions or coalesces inputs (their tasks
// are routed by partition index), reads a range-partitioned or single
// input (order and placement matter), or reads an exchange whose partition
// count the job fixed.
func analyze(g *stage.Graph, st *stage.Stage) (sh shape, ok bool) {
	ok = true
	var walk func(n *physical.Node)
	walk = func(n *physical.Node) {
		switch n.Op {
		case physical.OpScan, physical.OpUnion, physical.OpValues, physical.OpCoalesce:
			ok = false
		case physical.OpStageRead:
			switch n.Read.Kind {
			case physical.PartHash:
				if g.Stages[n.Read.Stage].Output.Fixed {
					ok = false
				}
				if !slices.Contains(sh.hash, n.Read.Stage) {
					sh.hash = append(sh.hash, n.Read.Stage)
				}
			case physical.PartBroadcast:
			default:
				ok = false
			}
		}
		for _, in := range n.Inputs {
			walk(in)
		}
	}
	walk(st.Root)
	if !ok || len(sh.hash) == 0 {
		return shape{}, false
	}
	sh.held = map[int]bool{}
	sh.holds(st.Root, true)
	if j := rowwiseJoin(st.Root); j != nil && len(sh.hash) == 2 {
		l, r := hashLeaf(j.Inputs[0]), hashLeaf(j.Inputs[1])
		if l >= 0 && r >= 0 && l != r {
			sh.join, sh.left, sh.right = j, l, r
		}
	}
	return sh, true
}

// holds records which hash reads below n are held in memory: streamed
// says that n's rows flow through without being kept (row-wise operators
// and a hash join's probe side pass it on; anything else holds its input).
// A hash join builds its right input.
func (sh *shape) holds(n *physical.Node, streamed bool) {
	switch {
	case n.Op == physical.OpStageRead && n.Read.Kind == physical.PartHash:
		if !streamed {
			sh.held[n.Read.Stage] = true
		}
	case n.Op == physical.OpStageRead && n.Read.Kind == physical.PartBroadcast:
		if !slices.Contains(sh.bcast, n.Read.Stage) {
			sh.bcast = append(sh.bcast, n.Read.Stage)
		}
	case n.Op == physical.OpHashJoin && len(n.Inputs) == 2:
		sh.holds(n.Inputs[0], streamed)
		sh.holds(n.Inputs[1], false)
	default:
		for _, in := range n.Inputs {
			sh.holds(in, streamed && rowwise(n))
		}
	}
}

// rowwiseJoin finds a hash join reached from the root through operators
// that handle each row on its own.
func rowwiseJoin(n *physical.Node) *physical.Node {
	for {
		switch {
		case n.Op == physical.OpHashJoin:
			return n
		case rowwise(n) && len(n.Inputs) == 1:
			n = n.Inputs[0]
		default:
			return nil
		}
	}
}

func rowwise(n *physical.Node) bool {
	switch n.Op {
	case physical.OpFilter, physical.OpProject, physical.OpWrite, physical.OpExpand, physical.OpReplicate:
		return true
	case physical.OpHashAgg:
		return n.Agg.Mode == physical.AggPartial
	}
	return false
}

// hashLeaf is the stage a join side reads hash-partitioned through
// row-wise operators, or -1.
func hashLeaf(n *physical.Node) int {
	if r := hashRead(n); r != nil {
		return r.Read.Stage
	}
	return -1
}

// hashRead is the hash-partitioned StageRead a join side reads through
// row-wise operators, or nil.
func hashRead(n *physical.Node) *physical.Node {
	for {
		switch {
		case n.Op == physical.OpStageRead && n.Read.Kind == physical.PartHash:
			return n
		case rowwise(n) && len(n.Inputs) == 1:
			n = n.Inputs[0]
		default:
			return nil
		}
	}
}

// splitLeft and splitRight say which side of a join may be split into
// tasks that each read part of that side's rows of a partition against all
// of the other side's: only when the split side's rows are independent and
// the other side's unmatched rows are not output (they would be output by
// every task). As Spark's OptimizeSkewedJoin: left for inner, left outer,
// semi, anti (and mark, which outputs each left row once); right for inner
// and right outer. Full outer joins are never split.
func splitLeft(t logical.JoinType) bool {
	switch t {
	case logical.InnerJoin, logical.LeftJoin, logical.SemiJoin, logical.AntiJoin, logical.MarkJoin:
		return true
	}
	return false
}

func splitRight(t logical.JoinType) bool {
	return t == logical.InnerJoin || t == logical.RightJoin
}
