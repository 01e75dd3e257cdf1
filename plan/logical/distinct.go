package logical

import "github.com/drover-etl/drover/types"

// Distinct removes duplicate rows (NULLs compare equal here, as in SQL's
// DISTINCT and GROUP BY).
type Distinct struct {
	Input Node `json:"-"`
}

var _ Node = (*Distinct)(nil)

func (d *Distinct) Schema() *types.Schema { return d.Input.Schema() }
func (d *Distinct) Children() []Node      { return []Node{d.Input} }

func (d *Distinct) WithChildren(children ...Node) Node {
	mustChildren(1, children, "Distinct")
	return &Distinct{Input: children[0]}
}

func (d *Distinct) Describe() string { return "Distinct" }
