package optimizer

import (
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
)

// RemoveIdentityProjects drops a Project that passes its input through
// unchanged: column i is input column i, under the same name. Qualifiers
// may differ (a view's select of all its columns): they only matter while
// binding, which is over. Names matter: Write writes them and Union takes
// its first input's, so a renaming Project stays.
var RemoveIdentityProjects = Rule{Name: "remove_identity_projects", Apply: removeIdentityProjects}

func removeIdentityProjects(n logical.Node, _ Config) (logical.Node, error) {
	return logical.Transform(n, func(n logical.Node) (logical.Node, error) {
		if p, ok := n.(*logical.Project); ok && isIdentityProject(p) {
			return p.Input, nil
		}
		return n, nil
	})
}

func isIdentityProject(p *logical.Project) bool {
	in := p.Input.Schema()
	if len(p.Exprs) != in.Len() {
		return false
	}
	for i, e := range p.Exprs {
		f := in.Fields[i]
		if e.Kind != expr.KindColumn || e.Index != i || p.Names[i] != f.Name || e.Type != f.Type {
			return false
		}
	}
	return true
}
