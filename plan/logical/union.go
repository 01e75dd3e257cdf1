package logical

import (
	"fmt"

	"github.com/drover-etl/drover/types"
)

// Union concatenates inputs with identical column types (UNION ALL). The
// output takes the first input's names. UNION DISTINCT is Distinct(Union).
type Union struct {
	Inputs []Node `json:"-"`
}

var _ Node = (*Union)(nil)

func (u *Union) Schema() *types.Schema {
	s := u.Inputs[0].Schema()
	out := &types.Schema{Fields: append([]types.Field(nil), s.Fields...)}
	for _, in := range u.Inputs[1:] {
		for i, f := range in.Schema().Fields {
			out.Fields[i].Nullable = out.Fields[i].Nullable || f.Nullable
		}
	}
	return out
}

func (u *Union) Children() []Node { return u.Inputs }

func (u *Union) WithChildren(children ...Node) Node {
	return &Union{Inputs: append([]Node(nil), children...)}
}

func (u *Union) Describe() string { return fmt.Sprintf("Union all (%d inputs)", len(u.Inputs)) }
