package logical

import "github.com/drover-etl/drover/types"

// Alias renames the qualifier of every column (a view name, or "c" in
// "FROM customers c"). It changes no data and vanishes in physical planning.
type Alias struct {
	Input Node   `json:"-"`
	Name  string `json:"name"`
}

var _ Node = (*Alias)(nil)

func (a *Alias) Schema() *types.Schema { return a.Input.Schema().WithQualifier(a.Name) }
func (a *Alias) Children() []Node      { return []Node{a.Input} }

func (a *Alias) WithChildren(children ...Node) Node {
	mustChildren(1, children, "Alias")
	c := *a
	c.Input = children[0]
	return &c
}

func (a *Alias) Describe() string { return "Alias " + a.Name }
