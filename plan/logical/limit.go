package logical

import (
	"fmt"

	"github.com/drover-etl/drover/types"
)

// NoLimit is the N of a Limit that only skips rows (OFFSET without LIMIT).
const NoLimit int64 = -1

// Limit skips the first Offset rows, then keeps the next N (all of them
// when N is NoLimit) — in the input's order, if it has one.
type Limit struct {
	Input  Node  `json:"-"`
	N      int64 `json:"n"`
	Offset int64 `json:"offset,omitempty"`
}

var _ Node = (*Limit)(nil)

// NewLimit builds LIMIT n OFFSET offset; n < 0 means no LIMIT clause.
func NewLimit(input Node, n, offset int64) *Limit {
	if n < 0 {
		n = NoLimit
	}
	return &Limit{Input: input, N: n, Offset: offset}
}

// Unbounded reports whether the Limit keeps every row after the offset.
func (l *Limit) Unbounded() bool { return l.N == NoLimit }

// End is the number of leading input rows the Limit can use, Offset+N (or
// -1 when unbounded): what a per-partition limit below it keeps.
func (l *Limit) End() int64 {
	if l.Unbounded() {
		return NoLimit
	}
	return l.Offset + l.N
}

func (l *Limit) Schema() *types.Schema { return l.Input.Schema() }
func (l *Limit) Children() []Node      { return []Node{l.Input} }

func (l *Limit) WithChildren(children ...Node) Node {
	mustChildren(1, children, "Limit")
	c := *l
	c.Input = children[0]
	return &c
}

func (l *Limit) Describe() string {
	switch {
	case l.Unbounded():
		return fmt.Sprintf("Offset %d", l.Offset)
	case l.Offset > 0:
		return fmt.Sprintf("Limit %d offset %d", l.N, l.Offset)
	}
	return fmt.Sprintf("Limit %d", l.N)
}
