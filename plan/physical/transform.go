package physical

import "github.com/drover-etl/drover/plan/logical"

// TransformSpec streams the input through a plugin's batch transform; the
// node's Schema is the output the plugin declared while planning.
type TransformSpec struct {
	Function string            `json:"function"`
	Args     map[string]string `json:"args,omitempty"`
}

// transform needs no exchange: a transform sees one partition at a time,
// like a Project.
func (p *planner) transform(t *logical.PluginTransform) (*Node, error) {
	return p.unary(t, t.Input, func(in *Node) *Node {
		return &Node{Op: OpTransform, Inputs: []*Node{in}, Schema: t.Schema(),
			Transform: &TransformSpec{Function: t.Function, Args: t.Args}}
	})
}
