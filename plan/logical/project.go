package logical

import (
	"fmt"
	"strings"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// Project computes one output column per expression. Names are the output
// column names; Qualifier (may be empty) qualifies all of them, so a view's
// output can be referred to as view.column.
type Project struct {
	Input     Node         `json:"-"`
	Exprs     []*expr.Expr `json:"exprs"`
	Names     []string     `json:"names"`
	Qualifier string       `json:"qualifier,omitempty"`
	// Qualifiers, when set (one per column), qualify each column on its
	// own instead: a projection that only reorders a join's columns (RIGHT
	// JOIN, JOIN ... USING) keeps each column's relation.
	Qualifiers []string `json:"qualifiers,omitempty"`
}

var _ Node = (*Project)(nil)

func (p *Project) Schema() *types.Schema {
	s := &types.Schema{Fields: make([]types.Field, len(p.Exprs))}
	for i, e := range p.Exprs {
		q := p.Qualifier
		if p.Qualifiers != nil {
			q = p.Qualifiers[i]
		}
		s.Fields[i] = types.Field{Qualifier: q, Name: p.Names[i], Type: e.Type, Nullable: e.Nullable}
	}
	return s
}

func (p *Project) Children() []Node { return []Node{p.Input} }

func (p *Project) WithChildren(children ...Node) Node {
	mustChildren(1, children, "Project")
	c := *p
	c.Input = children[0]
	return &c
}

func (p *Project) Describe() string {
	parts := make([]string, len(p.Exprs))
	for i, e := range p.Exprs {
		parts[i] = fmt.Sprintf("%s AS %s", e, p.Names[i])
	}
	return "Project " + strings.Join(parts, ", ")
}
