package logical

import (
	"fmt"
	"strings"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// WindowCall is one window function call with its own OVER clause, as
// the SQL front end collects them from SELECT, QUALIFY and ORDER BY.
type WindowCall struct {
	PartitionBy []*expr.Expr
	OrderBy     []SortKey
	Func        WindowFuncSpec
}

// PlanWindows stacks Windows over input for calls: one node per distinct
// (PARTITION BY, ORDER BY) pair, nodes with the same PARTITION BY next to
// each other (the physical planner then shuffles once for them), in order
// of first appearance. It returns the top node and, for each call, the
// ordinal of its value in the top node's schema (input columns keep their
// ordinals). Expressions may be bound or unbound against input's schema.
func PlanWindows(input Node, calls []WindowCall, funcs expr.FuncResolver) (Node, []int, error) {
	type group struct {
		part  []*expr.Expr
		order []SortKey
		calls []int
	}
	var groups []*group
	byKey := map[string]*group{}
	schema := input.Schema()
	for i, c := range calls {
		part, order, err := bindOver(c, schema, funcs)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: %s: %w", ErrWindow, c.Func.Name, err)
		}
		key := exprList(part) + " | " + sortKeyList(order)
		g, ok := byKey[key]
		if !ok {
			g = &group{part: part, order: order}
			byKey[key] = g
			groups = append(groups, g)
		}
		g.calls = append(g.calls, i)
	}
	groups = clusterByPartition(groups, func(g *group) string { return exprList(g.part) })
	out := make([]int, len(calls))
	node := input
	for _, g := range groups {
		specs := make([]WindowFuncSpec, len(g.calls))
		for j, ci := range g.calls {
			specs[j] = calls[ci].Func
			out[ci] = node.Schema().Len() + j
		}
		w, err := NewWindow(node, g.part, g.order, specs, funcs)
		if err != nil {
			return nil, nil, err
		}
		node = w
	}
	return node, out, nil
}

// bindOver binds a call's OVER clause (and checks the call) against the
// input schema.
func bindOver(c WindowCall, schema *types.Schema, funcs expr.FuncResolver) ([]*expr.Expr, []SortKey, error) {
	w, err := NewWindow(&Scan{Table: schema}, c.PartitionBy, c.OrderBy, []WindowFuncSpec{c.Func}, funcs)
	if err != nil {
		return nil, nil, err
	}
	return w.PartitionBy, w.OrderBy, nil
}

// clusterByPartition reorders groups so that equal partition keys are
// adjacent, keeping first-appearance order otherwise.
func clusterByPartition[G any](groups []G, key func(G) string) []G {
	var keys []string
	byKey := map[string][]G{}
	for _, g := range groups {
		k := key(g)
		if _, ok := byKey[k]; !ok {
			keys = append(keys, k)
		}
		byKey[k] = append(byKey[k], g)
	}
	out := make([]G, 0, len(groups))
	for _, k := range keys {
		out = append(out, byKey[k]...)
	}
	return out
}

func sortKeyList(ks []SortKey) string {
	parts := make([]string, len(ks))
	for i, k := range ks {
		parts[i] = k.String()
	}
	return strings.Join(parts, ", ")
}
