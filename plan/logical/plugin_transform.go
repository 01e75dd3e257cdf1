package logical

import (
	"sort"
	"strings"

	"github.com/drover-etl/drover/types"
)

// PluginTransform runs a plugin's batch transform over its input (a view's
// `transform = "textkit.score"`): batches in, batches out, any number of
// rows. Output is the schema the plugin declared while planning, for this
// input schema and these args. To the optimizer it is opaque: predicates
// and limits stay above it and it reads every input column.
type PluginTransform struct {
	Input    Node              `json:"-"`
	Function string            `json:"function"` // plugin.function, lower case
	Args     map[string]string `json:"args,omitempty"`
	Output   *types.Schema     `json:"output"`
}

var _ Node = (*PluginTransform)(nil)

func (t *PluginTransform) Schema() *types.Schema { return t.Output }
func (t *PluginTransform) Children() []Node      { return []Node{t.Input} }

func (t *PluginTransform) WithChildren(children ...Node) Node {
	mustChildren(1, children, "PluginTransform")
	c := *t
	c.Input = children[0]
	return &c
}

func (t *PluginTransform) Describe() string {
	return "Transform " + FormatCall(t.Function, t.Args) + " -> " + strings.Join(t.Output.Names(), ", ")
}

// FormatCall renders a transform call with its args sorted by key, so
// explain output is stable: textkit.score(column=note, mode=fast).
func FormatCall(fn string, args map[string]string) string {
	keys := make([]string, 0, len(args))
	for k := range args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + args[k]
	}
	return fn + "(" + strings.Join(parts, ", ") + ")"
}
