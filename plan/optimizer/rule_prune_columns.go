package optimizer

import (
	"slices"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
)

// PruneColumns makes every node produce only the columns some node above
// reads. Required columns flow top-down; each node rebuilds itself over its
// pruned input and remaps every bound column Index it holds. Scans read
// only the needed table columns and those their filters read; unused
// projected expressions and aggregates go; Projects narrow the inputs of joins,
// sorts and unions, which materialize or align every column they get.
// Write and Distinct need all their input columns; a Repartition needs
// its keys too. Windows drop unread
// functions (window.go).
var PruneColumns = Rule{Name: "prune_columns", Apply: pruneColumns}

func pruneColumns(n logical.Node, _ Config) (logical.Node, error) {
	out, _ := pruneExact(n, allCols(n.Schema().Len()))
	return out, nil
}

// prune returns n rewritten to produce at least the needed columns (in
// their old relative order, maybe others too) and where each went.
func prune(n logical.Node, need colSet) (logical.Node, colMap) {
	switch t := n.(type) {
	case *logical.Scan:
		return pruneScan(t, need)
	case *logical.Filter:
		return pruneFilter(t, need)
	case *logical.Project:
		return pruneProject(t, need)
	case *logical.Aggregate:
		return pruneAggregate(t, need)
	case *logical.Join:
		return pruneJoin(t, need)
	case *logical.Sort:
		return pruneSort(t, need)
	case *logical.Limit, *logical.Alias, *logical.Coalesce:
		in, m := prune(n.Children()[0], need)
		return n.WithChildren(in), m
	case *logical.Repartition:
		return pruneRepartition(t, need)
	case *logical.Union:
		return pruneUnion(t, need)
	case *logical.Expand:
		return pruneExpand(t, need)
	case *logical.Values:
		return pruneValues(t, need)
	case *logical.Window:
		return pruneWindow(t, need)
	}
	return pruneNothing(n)
}

// pruneExact is prune followed, if n still yields unneeded columns, by a
// Project keeping exactly the needed ones.
func pruneExact(n logical.Node, need colSet) (logical.Node, colMap) {
	need = ensureOne(n, need)
	out, m := prune(n, need)
	if out.Schema().Len() == need.count() {
		return out, m
	}
	var cols []int
	exact := make(colMap, len(need))
	for i, keep := range need {
		exact[i] = -1
		if keep {
			exact[i] = len(cols)
			cols = append(cols, m[i])
		}
	}
	return selectColumns(out, cols), exact
}

// pruneNothing keeps every column of n and of its inputs: the rule for
// nodes whose meaning depends on all input columns (Distinct, Write) and
// for node types it does not know.
func pruneNothing(n logical.Node) (logical.Node, colMap) {
	kids := n.Children()
	if len(kids) > 0 {
		nk := make([]logical.Node, len(kids))
		for i, k := range kids {
			nk[i], _ = pruneExact(k, allCols(k.Schema().Len()))
		}
		n = n.WithChildren(nk...)
	}
	return n, identityMap(n.Schema().Len())
}

func identityMap(n int) colMap {
	m := make(colMap, n)
	for i := range m {
		m[i] = i
	}
	return m
}

// keptMap numbers the needed columns 0, 1, ... and the others -1.
func keptMap(need colSet) colMap {
	m := make(colMap, len(need))
	k := 0
	for i, keep := range need {
		m[i] = -1
		if keep {
			m[i] = k
			k++
		}
	}
	return m
}

// pruneScan reads the needed columns plus those its filters read: the scan
// operator evaluates Scan.Filters on the columns it produces
// (operator/scan.go), so they must be in Projection. Filter-only columns
// come last; joins and sorts above get a narrowing Project (pruneExact).
func pruneScan(s *logical.Scan, need colSet) (logical.Node, colMap) {
	proj := appendFilterColumns(scanColumns(s, need), s.Filters)
	if len(proj) == 0 {
		need = ensureOne(s, need)
		proj = scanColumns(s, need)
	}
	c := *s
	c.Projection = proj
	if isIdentity(proj, s.Table.Len()) {
		c.Projection = nil
	}
	return &c, keptMap(need)
}

// scanColumns lists the table ordinals of the needed output columns.
func scanColumns(s *logical.Scan, need colSet) []int {
	toTable := tableOrdinal(s)
	proj := []int{}
	for i, keep := range need {
		if keep {
			proj = append(proj, toTable(i))
		}
	}
	return proj
}

// appendFilterColumns adds the table ordinals filters read that proj lacks,
// in table order.
func appendFilterColumns(proj []int, filters []*expr.Expr) []int {
	have := map[int]bool{}
	for _, p := range proj {
		have[p] = true
	}
	var extra []int
	for _, f := range filters {
		for _, c := range expr.Columns(f) {
			if !have[c] {
				have[c] = true
				extra = append(extra, c)
			}
		}
	}
	slices.Sort(extra)
	return append(proj, extra...)
}

func isIdentity(proj []int, n int) bool {
	if len(proj) != n {
		return false
	}
	for i, p := range proj {
		if p != i {
			return false
		}
	}
	return true
}

func pruneFilter(f *logical.Filter, need colSet) (logical.Node, colMap) {
	inNeed := append(colSet(nil), need...)
	inNeed.addExpr(f.Cond, 0)
	in, m := prune(f.Input, inNeed)
	return &logical.Filter{Input: in, Cond: remap(f.Cond, m, in.Schema())}, m
}

func pruneProject(p *logical.Project, need colSet) (logical.Node, colMap) {
	if need.count() == 0 {
		// Only the row count is used above, and the input has the same.
		in, _ := prune(p.Input, make(colSet, p.Input.Schema().Len()))
		return in, keptMap(need)
	}
	inNeed := make(colSet, p.Input.Schema().Len())
	for i, keep := range need {
		if keep {
			inNeed.addExpr(p.Exprs[i], 0)
		}
	}
	in, m := prune(p.Input, inNeed)
	s := in.Schema()
	c := &logical.Project{Input: in, Qualifier: p.Qualifier}
	for i, keep := range need {
		if keep {
			c.Exprs = append(c.Exprs, remap(p.Exprs[i], m, s))
			c.Names = append(c.Names, p.Names[i])
		}
	}
	return c, keptMap(need)
}

// pruneAggregate drops unread aggregates; group columns always stay, as
// dropping one would merge groups.
func pruneAggregate(a *logical.Aggregate, need colSet) (logical.Node, colMap) {
	g := len(a.GroupBy)
	need = append(colSet(nil), need...)
	for i := range g {
		need[i] = true
	}
	need = ensureOne(a, need)
	inNeed := make(colSet, a.Input.Schema().Len())
	for _, e := range a.GroupBy {
		inNeed.addExpr(e, 0)
	}
	for k, ag := range a.Aggs {
		if need[g+k] {
			inNeed.addExpr(ag.Arg, 0)
			for _, x := range ag.Extra {
				inNeed.addExpr(x, 0)
			}
		}
	}
	in, m := prune(a.Input, inNeed)
	s := in.Schema()
	c := *a
	c.Input = in
	c.GroupBy = remapAll(a.GroupBy, m, s)
	c.Aggs = nil
	for k, ag := range a.Aggs {
		if need[g+k] {
			ag.Arg = remap(ag.Arg, m, s)
			ag.Extra = remapAll(ag.Extra, m, s)
			c.Aggs = append(c.Aggs, ag)
		}
	}
	return &c, keptMap(need)
}

func pruneSort(s *logical.Sort, need colSet) (logical.Node, colMap) {
	inNeed := append(colSet(nil), need...)
	for _, k := range s.Keys {
		inNeed.addExpr(k.Expr, 0)
	}
	in, m := pruneExact(s.Input, inNeed)
	c := &logical.Sort{Input: in, Keys: append([]logical.SortKey(nil), s.Keys...)}
	for i, k := range c.Keys {
		c.Keys[i].Expr = remap(k.Expr, m, in.Schema())
	}
	return c, m
}

// pruneUnion narrows every input to exactly the needed columns, so the
// inputs stay aligned column for column.
func pruneUnion(u *logical.Union, need colSet) (logical.Node, colMap) {
	need = ensureOne(u, need)
	ins := make([]logical.Node, len(u.Inputs))
	for i, in := range u.Inputs {
		ins[i], _ = pruneExact(in, need)
	}
	return u.WithChildren(ins...), keptMap(need)
}
