package logical

import (
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// Replicate emits each input row Count times (Count is a BIGINT expression
// over the row; zero, negative and NULL counts drop the row). INTERSECT ALL
// and EXCEPT ALL end in one, turning per-row multiplicities back into rows.
type Replicate struct {
	Input Node       `json:"-"`
	Count *expr.Expr `json:"count"`
}

var _ Node = (*Replicate)(nil)

func (r *Replicate) Schema() *types.Schema { return r.Input.Schema() }
func (r *Replicate) Children() []Node      { return []Node{r.Input} }

func (r *Replicate) WithChildren(children ...Node) Node {
	mustChildren(1, children, "Replicate")
	c := *r
	c.Input = children[0]
	return &c
}

func (r *Replicate) Describe() string { return "Replicate rows × " + r.Count.String() }
