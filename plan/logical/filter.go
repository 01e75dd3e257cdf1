package logical

import (
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// Filter keeps the rows for which Cond is TRUE (not FALSE, not NULL).
type Filter struct {
	Input Node       `json:"-"`
	Cond  *expr.Expr `json:"cond"`
}

var _ Node = (*Filter)(nil)

func (f *Filter) Schema() *types.Schema { return f.Input.Schema() }
func (f *Filter) Children() []Node      { return []Node{f.Input} }

func (f *Filter) WithChildren(children ...Node) Node {
	mustChildren(1, children, "Filter")
	c := *f
	c.Input = children[0]
	return &c
}

func (f *Filter) Describe() string { return "Filter " + f.Cond.String() }
