package jobplan

import (
	"errors"
	"fmt"
	"strings"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/jobspec"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// TransformResolver declares plugin transforms' output schemas. The
// FuncResolver given to Build implements it when plugins are loaded (the
// UDF host answers both questions).
type TransformResolver interface {
	ResolveTransform(name string, in *types.Schema, args map[string]string) (*types.Schema, error)
}

// ErrNoPlugins: a transform view in a build without plugins.
var ErrNoPlugins = errors.New("no plugins are loaded")

// transform plans a view with `transform = "plugin.function"`: the
// plugin's output over from, qualified by the view's name.
func (b *builder) transform(v *jobspec.View) (logical.Node, error) {
	input, err := b.relation(v.From.Value, v.From)
	if err != nil {
		return nil, err
	}
	fail := func(err error) error {
		return jobspec.At(v.Transform.Range, fmt.Errorf("view %q: transform %s: %w", v.Name, v.Transform.Value, err))
	}
	tr, ok := expr.Plugins(b.funcs).(TransformResolver)
	if !ok {
		return nil, fail(ErrNoPlugins)
	}
	in := input.Schema()
	if dup := duplicateName(in); dup != "" {
		return nil, fail(fmt.Errorf("its input has two columns named %q (a plugin sees names only; select distinct names first)", dup))
	}
	out, err := tr.ResolveTransform(v.Transform.Value, in, v.Args)
	if err != nil {
		return nil, fail(err)
	}
	return &logical.PluginTransform{Input: input, Function: v.Transform.Value, Args: v.Args, Output: out.WithQualifier(v.Name)}, nil
}

func duplicateName(s *types.Schema) string {
	seen := map[string]bool{}
	for _, f := range s.Fields {
		k := strings.ToLower(f.Name)
		if seen[k] {
			return f.Name
		}
		seen[k] = true
	}
	return ""
}
