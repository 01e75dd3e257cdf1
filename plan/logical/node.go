package logical

import (
	"fmt"
	"strings"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// Node is a logical plan node.
type Node interface {
	// Schema is the node's output schema.
	Schema() *types.Schema
	// Children are the inputs, left to right.
	Children() []Node
	// WithChildren returns a copy of the node with the inputs replaced.
	WithChildren(children ...Node) Node
	// Describe is the one-line text explain prints for the node.
	Describe() string
}

// Plan is what a job compiles to: one Write root per sink.
type Plan struct {
	Job   string   `json:"job"`
	Sinks []*Write `json:"sinks"`
}

// Format renders the tree indented, one node per line, as explain prints it.
func Format(n Node) string {
	var sb strings.Builder
	format(&sb, n, 0)
	return sb.String()
}

func format(sb *strings.Builder, n Node, depth int) {
	fmt.Fprintf(sb, "%s%s\n", strings.Repeat("  ", depth), n.Describe())
	for _, c := range n.Children() {
		format(sb, c, depth+1)
	}
}

// FormatPlan renders every sink's tree.
func FormatPlan(p *Plan) string {
	var sb strings.Builder
	for _, w := range p.Sinks {
		sb.WriteString(Format(w))
	}
	return sb.String()
}

// Transform rebuilds the tree bottom-up with fn applied to each node after
// its children were transformed.
func Transform(n Node, fn func(Node) (Node, error)) (Node, error) {
	kids := n.Children()
	if len(kids) > 0 {
		nk := make([]Node, len(kids))
		for i, c := range kids {
			t, err := Transform(c, fn)
			if err != nil {
				return nil, err
			}
			nk[i] = t
		}
		n = n.WithChildren(nk...)
	}
	return fn(n)
}

func exprList(es []*expr.Expr) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.String()
	}
	return strings.Join(parts, ", ")
}

func mustChildren(n int, got []Node, node string) {
	if len(got) != n {
		panic(fmt.Sprintf("logical: %s takes %d children, got %d", node, n, len(got)))
	}
}
