package optimizer

import (
	"fmt"
	"sort"
	"strings"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// A tiny row-at-a-time interpreter of logical plans, the reference the
// semantics tests compare optimized plans against. It supports the
// functions the tests use and panics on anything else.

type row []types.Value

// dataset holds each source's full table rows.
type dataset map[string][]row

func run(n logical.Node, data dataset) []row {
	switch t := n.(type) {
	case *logical.Scan:
		return runScan(t, data)
	case *logical.Filter:
		var out []row
		for _, r := range run(t.Input, data) {
			if truth(evalExpr(t.Cond, r)) {
				out = append(out, r)
			}
		}
		return out
	case *logical.Project:
		var out []row
		for _, r := range run(t.Input, data) {
			out = append(out, evalAll(t.Exprs, r))
		}
		return out
	case *logical.Aggregate:
		return runAggregate(t, data)
	case *logical.Join:
		return runJoin(t, data)
	case *logical.Sort:
		return runSort(t, data)
	case *logical.Limit, *logical.Expand, *logical.Values, *logical.Replicate, *logical.SetOp:
		return runSetNode(n, data)
	case *logical.Distinct:
		return runDistinct(run(t.Input, data))
	case *logical.Union:
		var out []row
		for _, in := range t.Inputs {
			out = append(out, run(in, data)...)
		}
		return out
	case *logical.Alias, *logical.Write:
		return run(n.Children()[0], data)
	case *logical.Window:
		return runWindow(t, data)
	}
	panic(fmt.Sprintf("refeval: node %T", n))
}

func runScan(s *logical.Scan, data dataset) []row {
	var out []row
	for _, r := range data[s.Source] {
		keep := true
		for _, f := range s.Filters {
			keep = keep && truth(evalExpr(f, r))
		}
		if !keep {
			continue
		}
		if s.Projection == nil {
			out = append(out, r)
			continue
		}
		p := make(row, len(s.Projection))
		for i, c := range s.Projection {
			p[i] = r[c]
		}
		out = append(out, p)
	}
	return out
}

func runAggregate(a *logical.Aggregate, data dataset) []row {
	groups := map[string][]row{}
	var order []string
	for _, r := range run(a.Input, data) {
		k := key(evalAll(a.GroupBy, r))
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], r)
	}
	if len(a.GroupBy) == 0 && len(order) == 0 {
		order, groups[""] = []string{""}, nil
	}
	var out []row
	for _, k := range order {
		rows := groups[k]
		var o row
		if len(rows) > 0 {
			o = evalAll(a.GroupBy, rows[0])
		}
		for _, ag := range a.Aggs {
			o = append(o, aggregate(ag, rows))
		}
		out = append(out, o)
	}
	return out
}

func aggregate(ag logical.AggExpr, rows []row) types.Value {
	if ag.Func == expr.AggCountStar {
		return types.Int64Value(int64(len(rows)))
	}
	acc := types.NullValue(ag.Type)
	n := int64(0)
	for _, r := range rows {
		v := evalExpr(ag.Arg, r)
		if v.Null {
			continue
		}
		n++
		switch {
		case acc.Null:
			acc = v
			acc.Type = ag.Type
		case ag.Func == expr.AggSum:
			acc.I += v.I
		case ag.Func == expr.AggMin && compare(v, acc) < 0, ag.Func == expr.AggMax && compare(v, acc) > 0:
			acc = v
		}
	}
	if ag.Func == expr.AggCount {
		return types.Int64Value(n)
	}
	return acc
}

func runJoin(j *logical.Join, data dataset) []row {
	left, right := run(j.Left, data), run(j.Right, data)
	nl, nr := j.Left.Schema().Len(), j.Right.Schema().Len()
	var out []row
	rightHit := make([]bool, len(right))
	for _, l := range left {
		matched := false
		for ri, r := range right {
			if !keysMatch(j, l, r) {
				continue
			}
			both := append(append(row(nil), l...), r...)
			if j.Filter != nil && !truth(evalExpr(j.Filter, both)) {
				continue
			}
			matched, rightHit[ri] = true, true
			if j.Type.EmitsRight() {
				out = append(out, both)
			}
		}
		switch {
		case j.Type == logical.SemiJoin && matched, j.Type == logical.AntiJoin && !matched:
			out = append(out, l)
		case (j.Type == logical.LeftJoin || j.Type == logical.FullJoin) && !matched:
			out = append(out, append(append(row(nil), l...), nulls(j.Right.Schema(), nr)...))
		case j.Type == logical.MarkJoin:
			out = append(out, append(append(row(nil), l...), types.BoolValue(matched)))
		}
	}
	if j.Type.KeepsUnmatchedRight() {
		for ri, r := range right {
			if !rightHit[ri] {
				out = append(out, append(nulls(j.Left.Schema(), nl), r...))
			}
		}
	}
	return out
}

func keysMatch(j *logical.Join, l, r row) bool {
	for i := range j.LeftKeys {
		a, b := evalExpr(j.LeftKeys[i], l), evalExpr(j.RightKeys[i], r)
		if a.Null && b.Null && j.NullSafeKey(i) {
			continue
		}
		if a.Null || b.Null || compare(a, b) != 0 {
			return false
		}
	}
	return true
}

func nulls(s *types.Schema, n int) row {
	out := make(row, n)
	for i := range out {
		out[i] = types.NullValue(s.Fields[i].Type)
	}
	return out
}

func runSort(s *logical.Sort, data dataset) []row {
	rows := run(s.Input, data)
	sort.SliceStable(rows, func(a, b int) bool {
		for _, k := range s.Keys {
			x, y := evalExpr(k.Expr, rows[a]), evalExpr(k.Expr, rows[b])
			c := compareNullable(x, y, k.NullsFirst)
			if k.Desc {
				c = -c
			}
			if c != 0 {
				return c < 0
			}
		}
		return false
	})
	return rows
}

func compareNullable(x, y types.Value, nullsFirst bool) int {
	switch {
	case x.Null && y.Null:
		return 0
	case x.Null == nullsFirst && (x.Null || y.Null):
		return -1
	case x.Null || y.Null:
		return 1
	}
	return compare(x, y)
}

func runDistinct(rows []row) []row {
	seen := map[string]bool{}
	var out []row
	for _, r := range rows {
		if k := key(r); !seen[k] {
			seen[k] = true
			out = append(out, r)
		}
	}
	return out
}

func key(r row) string {
	parts := make([]string, len(r))
	for i, v := range r {
		parts[i] = v.String()
	}
	return strings.Join(parts, "|")
}

// sortedKeys is a result as a sorted multiset, for order-free comparison.
func sortedKeys(rows []row) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = key(r)
	}
	sort.Strings(out)
	return out
}

func compare(a, b types.Value) int {
	c, err := compareValues(a, b)
	if err != nil {
		panic(fmt.Sprintf("refeval: compare %v %v: %v", a, b, err))
	}
	return c
}

func truth(v types.Value) bool { return !v.Null && v.B }

func evalAll(es []*expr.Expr, r row) row {
	out := make(row, len(es))
	for i, e := range es {
		out[i] = evalExpr(e, r)
	}
	return out
}
