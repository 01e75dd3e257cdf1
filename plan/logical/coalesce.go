package logical

import (
	"fmt"

	"github.com/drover-etl/drover/types"
)

// Coalesce merges its input's partitions into at most Partitions, without
// a shuffle: each task reads a run of neighbouring input partitions one
// after another (so a sorted input stays sorted). Fewer partitions never
// grow into more.
type Coalesce struct {
	Input      Node `json:"-"`
	Partitions int  `json:"partitions"`
}

var _ Node = (*Coalesce)(nil)

func (c *Coalesce) Schema() *types.Schema { return c.Input.Schema() }
func (c *Coalesce) Children() []Node      { return []Node{c.Input} }

func (c *Coalesce) WithChildren(children ...Node) Node {
	mustChildren(1, children, "Coalesce")
	n := *c
	n.Input = children[0]
	return &n
}

func (c *Coalesce) Describe() string { return fmt.Sprintf("Coalesce %d", c.Partitions) }
