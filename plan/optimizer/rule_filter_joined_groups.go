package optimizer

import (
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// FilterJoinedGroups makes the grouped side of a join aggregate only the
// groups the other side can match, and the build side of a semi, anti,
// mark or left join hold only the rows it can match. A join whose right side is grouped by
// its key (a decorrelated scalar subquery: TPC-H Q17's avg(l_quantity) per
// part, Q20's and Q2's; or a derived table joined to a filtered dimension)
// throws away every group whose key the left side lacks, but each was
// aggregated, and shuffled, first. Where the left key comes from a scan
// with filters that is much smaller than the aggregate's input (followed
// through filters, projections and inner and semi joins, also across the
// join keys' equalities), the aggregate's input is semi-joined with that
// scan's keys: its key set holds every key the left side can have, so only
// groups no left row could match are dropped (DuckDB reaches the same
// through its delim joins). The semi join is small and broadcast, and the
// runtime filter built from it filters the aggregate input's scan. A semi
// join's build side is filtered the same way (TPC-H Q4: 3.8 M lineitem
// rows built into a table for the 57,000 orders of one quarter); an inner
// join's is not: the planner may build on either side, and the join
// itself, with its runtime filter, already drops those rows early.
//
// Only joins that never output an unmatched right row qualify (not right
// or full), without null-safe keys (a NULL group matches nothing then);
// and only joins the planner chose nothing for yet (StrategyAuto), which
// keeps a second optimization from filtering again.
var FilterJoinedGroups = Rule{Name: "filter_joined_groups", Apply: filterJoinedGroups}

// groupFilterRatio is how much smaller (by the estimates) the filtering
// scan must be than the aggregate's input to be worth a semi join.
const groupFilterRatio = 4

func filterJoinedGroups(n logical.Node, _ Config) (logical.Node, error) {
	return logical.Transform(n, func(n logical.Node) (logical.Node, error) {
		j, ok := n.(*logical.Join)
		if !ok || j.Strategy != logical.StrategyAuto || j.Type.KeepsUnmatchedRight() {
			return n, nil
		}
		for i := range j.LeftKeys {
			if j.NullSafeKey(i) {
				continue
			}
			if right, ok := filterGroupsByKey(j, i); ok {
				return j.WithChildren(j.Left, right), nil
			}
		}
		return n, nil
	})
}

// filterGroupsByKey is j's right side with its aggregate's input, or
// else (for joins that build on their right side whatever the sizes: semi,
// anti, mark and left) the side itself, semi-joined on key i; or ok false.
func filterGroupsByKey(j *logical.Join, i int) (logical.Node, bool) {
	lk, rk := j.LeftKeys[i], j.RightKeys[i]
	if lk.Kind != expr.KindColumn || rk.Kind != expr.KindColumn {
		return nil, false
	}
	if out, ok := withGroupFilter(j.Right, rk.Index, func(agg *logical.Aggregate, g *expr.Expr) (logical.Node, bool) {
		semi, ok := semiByKeySource(j.Left, lk.Index, agg.Input, g)
		if !ok {
			return nil, false
		}
		return agg.WithChildren(semi), true
	}); ok {
		return out, true
	}
	switch j.Type {
	case logical.SemiJoin, logical.AntiJoin, logical.MarkJoin, logical.LeftJoin:
		return semiByKeySource(j.Left, lk.Index, j.Right, rk)
	}
	return nil, false
}

// semiByKeySource is target semi-joined on key with the keys of the
// smallest filtered scan column holding every value of column c of left,
// when that scan is much smaller than target.
func semiByKeySource(left logical.Node, c int, target logical.Node, key *expr.Expr) (logical.Node, bool) {
	best, bestSize := keySource{}, estimate(target)/groupFilterRatio
	for _, src := range keySources(left, c) {
		if len(src.scan.Filters) == 0 || src.field().Type != key.Type {
			continue
		}
		if size := estimate(src.scan); size < bestSize {
			best, bestSize = src, size
		}
	}
	if best.scan == nil {
		return nil, false
	}
	scan := *best.scan // a node of its own: the original stays where it is
	f := best.field()
	keys := &logical.Project{Input: &scan, Names: []string{f.Name}, Qualifier: f.Qualifier, Exprs: []*expr.Expr{expr.BoundCol(best.col, f)}}
	return &logical.Join{Left: target, Right: keys, Type: logical.SemiJoin,
		LeftKeys: []*expr.Expr{key}, RightKeys: []*expr.Expr{expr.BoundCol(0, keys.Schema().Fields[0])}}, true
}

// withGroupFilter finds the Aggregate that column c of n is a group
// column of (through projections of bare columns, filters and aliases),
// with that group column's expression when it is a bare column of the
// aggregate's input, and rebuilds n over what rewrite makes of it.
func withGroupFilter(n logical.Node, c int, rewrite func(*logical.Aggregate, *expr.Expr) (logical.Node, bool)) (logical.Node, bool) {
	var below logical.Node
	var ok bool
	switch t := n.(type) {
	case *logical.Aggregate:
		if c >= len(t.GroupBy) || t.GroupBy[c].Kind != expr.KindColumn {
			return nil, false
		}
		if _, expand := t.Input.(*logical.Expand); expand {
			return nil, false // grouping sets: leave them be
		}
		return rewrite(t, t.GroupBy[c])
	case *logical.Project:
		if t.Exprs[c].Kind != expr.KindColumn {
			return nil, false
		}
		below, ok = withGroupFilter(t.Input, t.Exprs[c].Index, rewrite)
	case *logical.Filter, *logical.Alias:
		below, ok = withGroupFilter(n.Children()[0], c, rewrite)
	default:
		return nil, false
	}
	if !ok {
		return nil, false
	}
	return n.WithChildren(below), true
}

// keySource is a scan column holding every value a column can have.
type keySource struct {
	scan *logical.Scan
	col  int // in the scan's output
}

func (s keySource) field() types.Field { return s.scan.Schema().Fields[s.col] }

// keySources lists the scan columns whose values include every non-NULL
// value of column c of n: its origin, followed through operators that
// only drop rows or pass columns on, and, through inner and semi joins,
// the other side of a key equality it takes part in.
func keySources(n logical.Node, c int) []keySource {
	switch t := n.(type) {
	case *logical.Scan:
		return []keySource{{t, c}}
	case *logical.Filter, *logical.Alias, *logical.Sort, *logical.Limit, *logical.Distinct:
		return keySources(n.Children()[0], c)
	case *logical.Project:
		if e := t.Exprs[c]; e.Kind == expr.KindColumn {
			return keySources(t.Input, e.Index)
		}
	case *logical.Join:
		return joinKeySources(t, c)
	}
	return nil
}

func joinKeySources(j *logical.Join, c int) []keySource {
	nl := j.Left.Schema().Len()
	switch j.Type {
	case logical.InnerJoin, logical.SemiJoin:
	case logical.LeftJoin, logical.AntiJoin, logical.MarkJoin:
		if c < nl {
			return keySources(j.Left, c)
		}
		return nil
	default:
		return nil
	}
	if c >= nl {
		return keySources(j.Right, c-nl)
	}
	out := keySources(j.Left, c)
	for k, l := range j.LeftKeys {
		r := j.RightKeys[k]
		if l.Kind == expr.KindColumn && l.Index == c && r.Kind == expr.KindColumn && !j.NullSafeKey(k) {
			out = append(out, keySources(j.Right, r.Index)...)
		}
	}
	return out
}
