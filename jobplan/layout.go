package jobplan

import (
	"fmt"
	"slices"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/jobspec"
	"github.com/drover-etl/drover/plan/logical"
)

// layout puts a view's or sink's repartition or coalesce over in. what
// names the block in errors.
func layout(in logical.Node, l jobspec.Layout, what string) (logical.Node, error) {
	switch {
	case !l.IsSet():
		return in, nil
	case l.Coalesce > 0:
		return &logical.Coalesce{Input: in, Partitions: l.Coalesce}, nil
	case ordered(in):
		return nil, jobspec.Errorf(l.Range, "%s: repartition would lose the order of ORDER BY (coalesce keeps it)", what)
	}
	r := &logical.Repartition{Input: in, Partitions: l.Repartition}
	schema := in.Schema()
	var seen []int
	for _, t := range l.RepartitionBy {
		i, err := schema.Resolve("", t.Value)
		if err != nil {
			return nil, jobspec.At(t.Range, fmt.Errorf("%s: repartition_by: %w", what, err))
		}
		if slices.Contains(seen, i) {
			return nil, jobspec.Errorf(t.Range, "%s: repartition_by: %q is listed twice", what, t.Value)
		}
		seen = append(seen, i)
		r.Keys = append(r.Keys, expr.BoundCol(i, schema.Fields[i]))
	}
	return r, nil
}

// ordered reports whether n's rows come out sorted (a Sort under nodes
// that keep row order), which a shuffle would undo.
func ordered(n logical.Node) bool {
	for {
		switch t := n.(type) {
		case *logical.Sort:
			return true
		case *logical.Alias, *logical.Project, *logical.Limit, *logical.Filter, *logical.Coalesce:
			n = t.Children()[0]
		default:
			return false
		}
	}
}
