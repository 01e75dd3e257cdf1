package logical

import (
	"fmt"
	"slices"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// groupingBuilder assembles the plan of GroupingSets.
type groupingBuilder struct {
	input     Node
	keys      []*expr.Expr
	names     []string
	aggs      []AggExpr
	qualifier string
}

func (b *groupingBuilder) build(sets [][]int) (Node, error) {
	if len(sets) == 1 {
		return b.single(sets[0]), nil
	}
	empty := slices.ContainsFunc(sets, func(s []int) bool { return len(s) == 0 })
	if empty && !slices.ContainsFunc(b.aggs, func(a AggExpr) bool { return !aggIgnoresNulls(a) }) {
		return b.expand(sets, true)
	}
	if !empty {
		return b.expand(sets, false)
	}
	return b.separateEmpty(sets)
}

// aggIgnoresNulls reports whether an aggregate skips NULL inputs, so that
// a row of NULLs added to a group leaves its result alone (count(*) is
// rewritten to count a marker column instead). Aggregates that see NULLs
// (say, list or first) make the empty sets take separateEmpty's plan.
func aggIgnoresNulls(a AggExpr) bool {
	switch a.Func {
	case expr.AggSum, expr.AggCount, expr.AggCountStar, expr.AggMin, expr.AggMax, expr.AggAvg:
		return true
	}
	return false
}

// single plans one set: an Aggregate on the set's keys, then a Project
// that puts NULL for the other keys and the constant grouping id.
func (b *groupingBuilder) single(set []int) Node {
	agg := &Aggregate{Input: b.input, Aggs: b.aggs, Qualifier: b.qualifier}
	for _, k := range set {
		agg.GroupBy = append(agg.GroupBy, b.keys[k])
		agg.GroupNames = append(agg.GroupNames, b.names[k])
	}
	as := agg.Schema()
	p := &Project{Input: agg, Qualifier: b.qualifier}
	for i, k := range b.keys {
		if at := slices.Index(set, i); at >= 0 {
			p.Exprs = append(p.Exprs, expr.BoundCol(at, as.Fields[at]))
		} else {
			p.Exprs = append(p.Exprs, expr.Lit(types.NullValue(k.Type)))
		}
	}
	p.Exprs = append(p.Exprs, expr.Lit(types.Int64Value(GroupingID(set, len(b.keys)))))
	p.Names = append(slices.Clone(b.names), GroupingIDName)
	for a, ag := range b.aggs {
		p.Exprs = append(p.Exprs, expr.BoundCol(len(set)+a, as.Fields[len(set)+a]))
		p.Names = append(p.Names, ag.Name)
	}
	return p
}

// separateEmpty plans the non-empty sets together and each empty set as a
// global aggregate of its own, then unions them: the fallback when an
// aggregate would see the NULL row expand's plan adds for empty input.
func (b *groupingBuilder) separateEmpty(sets [][]int) (Node, error) {
	var rest [][]int
	var parts []Node
	for _, s := range sets {
		if len(s) == 0 {
			parts = append(parts, b.single(s))
		} else {
			rest = append(rest, s)
		}
	}
	if len(rest) > 0 {
		n, err := b.build(rest)
		if err != nil {
			return nil, err
		}
		parts = append(parts, n)
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	return &Union{Inputs: parts}, nil
}

// expandLayout numbers the columns of the Expand under the aggregate:
// the input's columns, the keys, the grouping id, then optionally the set
// position and the marker.
type expandLayout struct {
	in, keys    int
	pos, marker int // -1 when absent
}

func (l expandLayout) width() int {
	w := l.in + l.keys + 1
	if l.pos >= 0 {
		w++
	}
	if l.marker >= 0 {
		w++
	}
	return w
}

// expand plans several sets with an Expand; withEmpty adds the VALUES rows
// that make each empty set yield a row over empty input.
func (b *groupingBuilder) expand(sets [][]int, withEmpty bool) (Node, error) {
	pos := setPositions(sets)
	in := b.input.Schema()
	l := expandLayout{in: in.Len(), keys: len(b.keys), pos: -1, marker: -1}
	next := l.in + l.keys + 1
	if slices.Max(pos) > 0 {
		l.pos, next = next, next+1
	}
	if withEmpty && slices.ContainsFunc(b.aggs, func(a AggExpr) bool { return a.Func == expr.AggCountStar }) {
		l.marker = next
	}
	ex := &Expand{Input: b.input, Names: b.expandNames(in, l)}
	for j, s := range sets {
		ex.Projections = append(ex.Projections, b.expandRow(in, l, s, pos[j]))
	}
	var aggIn Node = ex
	if withEmpty {
		aggIn = &Union{Inputs: []Node{ex, b.emptyRows(ex, l, sets, pos)}}
	}
	return b.aggregate(aggIn, l, withEmpty)
}

// setPositions numbers repeated sets 0, 1, ... in order of appearance, so
// GROUPING SETS ((a), (a)) keeps two groups per value of a.
func setPositions(sets [][]int) []int64 {
	pos := make([]int64, len(sets))
	for j, s := range sets {
		for _, t := range sets[:j] {
			if slices.Equal(s, t) {
				pos[j]++
			}
		}
	}
	return pos
}

func (b *groupingBuilder) expandNames(in *types.Schema, l expandLayout) []string {
	names := append(in.Names(), b.names...)
	names = append(names, GroupingIDName)
	if l.pos >= 0 {
		names = append(names, groupingPosName)
	}
	if l.marker >= 0 {
		names = append(names, groupingMarkerName)
	}
	return names
}

// expandRow is one set's projection list.
func (b *groupingBuilder) expandRow(in *types.Schema, l expandLayout, set []int, pos int64) []*expr.Expr {
	row := make([]*expr.Expr, 0, l.width())
	for i, f := range in.Fields {
		row = append(row, expr.BoundCol(i, f))
	}
	for i, k := range b.keys {
		if slices.Contains(set, i) {
			row = append(row, k)
		} else {
			row = append(row, expr.Lit(types.NullValue(k.Type)))
		}
	}
	row = append(row, expr.Lit(types.Int64Value(GroupingID(set, len(b.keys)))))
	if l.pos >= 0 {
		row = append(row, expr.Lit(types.Int64Value(pos)))
	}
	if l.marker >= 0 {
		row = append(row, expr.Lit(types.BoolValue(true)))
	}
	return row
}

// emptyRows is one all-NULL row per empty set, carrying that set's id and
// position, with a NULL marker.
func (b *groupingBuilder) emptyRows(ex *Expand, l expandLayout, sets [][]int, pos []int64) *Values {
	s := ex.Schema()
	v := &Values{Out: &types.Schema{Fields: slices.Clone(s.Fields)}}
	for i := range v.Out.Fields {
		v.Out.Fields[i].Nullable = true
	}
	for j, set := range sets {
		if len(set) > 0 {
			continue
		}
		row := make([]*expr.Expr, l.width())
		for i, f := range s.Fields {
			row[i] = expr.Lit(types.NullValue(f.Type))
		}
		row[l.in+l.keys] = expr.Lit(types.Int64Value(GroupingID(set, len(b.keys))))
		if l.pos >= 0 {
			row[l.pos] = expr.Lit(types.Int64Value(pos[j]))
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

// aggregate groups the expanded rows by (keys…, id[, position]) and, when
// there is a position, projects it away.
func (b *groupingBuilder) aggregate(in Node, l expandLayout, withEmpty bool) (Node, error) {
	s := in.Schema()
	agg := &Aggregate{Input: in, Qualifier: b.qualifier}
	groups := l.keys + 1
	if l.pos >= 0 {
		groups++
	}
	for i := 0; i < groups; i++ {
		agg.GroupBy = append(agg.GroupBy, expr.BoundCol(l.in+i, s.Fields[l.in+i]))
		agg.GroupNames = append(agg.GroupNames, s.Fields[l.in+i].Name)
	}
	for _, a := range b.aggs {
		if withEmpty {
			a = nullableArg(a, s, l)
		}
		agg.Aggs = append(agg.Aggs, a)
	}
	if l.pos < 0 {
		return agg, nil
	}
	as := agg.Schema()
	p := &Project{Input: agg, Qualifier: b.qualifier}
	for i, f := range as.Fields {
		if i == l.keys+1 {
			continue
		}
		p.Exprs = append(p.Exprs, expr.BoundCol(i, f))
		p.Names = append(p.Names, f.Name)
	}
	return p, nil
}

// nullableArg adapts an aggregate to the input that has the NULL rows of
// empty sets: count(*) counts the marker, and column references are re-read
// from the now nullable columns.
func nullableArg(a AggExpr, s *types.Schema, l expandLayout) AggExpr {
	if a.Func == expr.AggCountStar {
		if l.marker < 0 {
			panic(fmt.Sprintf("logical: count(*) %s without a marker column", a.Name))
		}
		a.Func, a.Arg = expr.AggCount, expr.BoundCol(l.marker, s.Fields[l.marker])
		return a
	}
	if a.Arg != nil {
		a.Arg = markNullable(a.Arg)
	}
	return a
}

// markNullable copies e with every column and call marked nullable:
// conservative, and valid whatever the functions are (a plugin call cannot
// be re-bound here).
func markNullable(e *expr.Expr) *expr.Expr {
	c := e.Clone()
	expr.Walk(c, func(x *expr.Expr) bool {
		if x.Kind != expr.KindLiteral {
			x.Nullable = true
		}
		return true
	})
	return c
}
