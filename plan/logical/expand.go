package logical

import (
	"fmt"
	"strings"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// Expand emits every input row once per projection list: output row j of
// an input row is Projections[j] evaluated over it. All lists have one
// expression per output column (Names), of the same type list by list.
// It is Spark's Expand: grouping sets replicate each row once per set, with
// the keys the set does not group replaced by NULL (see GroupingSets).
type Expand struct {
	Input       Node           `json:"-"`
	Projections [][]*expr.Expr `json:"projections"`
	Names       []string       `json:"names"`
	Qualifier   string         `json:"qualifier,omitempty"`
}

var _ Node = (*Expand)(nil)

// Schema takes each column's type from the first list; a column is nullable
// when any list's expression is.
func (e *Expand) Schema() *types.Schema {
	s := &types.Schema{Fields: make([]types.Field, len(e.Names))}
	for i, name := range e.Names {
		f := types.Field{Qualifier: e.Qualifier, Name: name}
		for j, p := range e.Projections {
			if j == 0 {
				f.Type = p[i].Type
			}
			f.Nullable = f.Nullable || p[i].Nullable
		}
		s.Fields[i] = f
	}
	return s
}

func (e *Expand) Children() []Node { return []Node{e.Input} }

func (e *Expand) WithChildren(children ...Node) Node {
	mustChildren(1, children, "Expand")
	c := *e
	c.Input = children[0]
	return &c
}

// Describe lists the columns every list computes alike once, then the
// varying columns of each list, so wide passthrough inputs stay readable.
func (e *Expand) Describe() string {
	var same, varying []int
	for i := range e.Names {
		alike := true
		for _, p := range e.Projections[1:] {
			alike = alike && expr.Equal(p[i], e.Projections[0][i])
		}
		if alike {
			same = append(same, i)
		} else {
			varying = append(varying, i)
		}
	}
	parts := make([]string, len(same))
	for k, i := range same {
		parts[k] = e.Names[i]
	}
	lists := make([]string, len(e.Projections))
	for j, p := range e.Projections {
		cells := make([]string, len(varying))
		for k, i := range varying {
			cells[k] = p[i].String()
		}
		lists[j] = "(" + strings.Join(cells, ", ") + ")"
	}
	vnames := make([]string, len(varying))
	for k, i := range varying {
		vnames[k] = e.Names[i]
	}
	return fmt.Sprintf("Expand same=[%s] [%s] = %s", strings.Join(parts, ", "), strings.Join(vnames, ", "), strings.Join(lists, " "))
}
