package eval

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// isPluginName: plugin functions are the ones with a dot ("textkit.slug").
func isPluginName(name string) bool { return strings.Contains(name, ".") }

// udfNode calls a plugin function through Options.UDF. The plugin sees
// plain arrays only: constants are expanded and dictionaries decoded, and
// NULL handling is the plugin's own (the call is not strict).
type udfNode struct {
	name string
	typ  types.Type
	args []node
}

func buildUDF(c *compiler, e *expr.Expr, args []node) (node, error) {
	if c.opts.UDF == nil {
		return nil, invalidf("plugin function %q called but no UDF runtime configured", e.Name)
	}
	return &udfNode{name: e.Name, typ: e.Type, args: args}, nil
}

func (u *udfNode) resultType() types.Type { return u.typ }

func (u *udfNode) eval(b *batch) (datum, error) {
	args, err := evalArgs(b, u.args)
	if err != nil {
		return datum{}, err
	}
	defer releaseAll(args)
	in := make([]arrow.Array, len(args))
	defer func() {
		for _, a := range in {
			if a != nil {
				a.Release()
			}
		}
	}()
	for i, a := range args {
		if in[i], err = u.plainArg(b, a, i); err != nil {
			return datum{}, err
		}
	}
	out, err := b.udf.CallScalar(b.ctx, u.name, in, u.typ)
	if err != nil {
		return datum{}, fmt.Errorf("%w: %s: %w", ErrUDF, u.name, err)
	}
	if err := u.check(out, b.n); err != nil {
		out.Release()
		return datum{}, err
	}
	return datum{arr: out}, nil
}

func (u *udfNode) plainArg(b *batch, a datum, i int) (arrow.Array, error) {
	if a.arr == nil {
		return MakeArray(typedConst(a.val, u.args[i].resultType()), b.n, b.mem), nil
	}
	return plain(b, a.arr)
}

// check holds the plugin to its declared result: length and type.
func (u *udfNode) check(out arrow.Array, n int) error {
	if out.Len() != n {
		return fmt.Errorf("%w: %s returned %d rows for %d", ErrUDF, u.name, out.Len(), n)
	}
	got, err := types.FromArrow(out.DataType())
	if err != nil || got != u.typ || !canonical(out.DataType(), u.typ) {
		return fmt.Errorf("%w: %s returned %s, declared %s", ErrUDF, u.name, out.DataType(), u.typ)
	}
	return nil
}
