package logical

import (
	"fmt"

	"github.com/drover-etl/drover/types"
)

// Limit keeps the first N rows (in the input's order, if it has one).
type Limit struct {
	Input Node  `json:"-"`
	N     int64 `json:"n"`
}

var _ Node = (*Limit)(nil)

func (l *Limit) Schema() *types.Schema { return l.Input.Schema() }
func (l *Limit) Children() []Node      { return []Node{l.Input} }

func (l *Limit) WithChildren(children ...Node) Node {
	mustChildren(1, children, "Limit")
	c := *l
	c.Input = children[0]
	return &c
}

func (l *Limit) Describe() string { return fmt.Sprintf("Limit %d", l.N) }
