package logical

import (
	"fmt"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// Repartition redistributes its input into Partitions partitions through a
// shuffle: by the hash of Keys (bound column references), or evenly when
// there are none (a hash of every column; see physical). Partitions 0
// means the job's shuffle partitions.
// It changes no row, only which task holds it (and so which output file).
type Repartition struct {
	Input      Node         `json:"-"`
	Partitions int          `json:"partitions,omitempty"`
	Keys       []*expr.Expr `json:"keys,omitempty"`
}

var _ Node = (*Repartition)(nil)

func (r *Repartition) Schema() *types.Schema { return r.Input.Schema() }
func (r *Repartition) Children() []Node      { return []Node{r.Input} }

func (r *Repartition) WithChildren(children ...Node) Node {
	mustChildren(1, children, "Repartition")
	c := *r
	c.Input = children[0]
	return &c
}

func (r *Repartition) Describe() string {
	n := "default"
	if r.Partitions > 0 {
		n = fmt.Sprint(r.Partitions)
	}
	if len(r.Keys) == 0 {
		return fmt.Sprintf("Repartition %s evenly", n)
	}
	return fmt.Sprintf("Repartition %s by [%s]", n, exprList(r.Keys))
}
