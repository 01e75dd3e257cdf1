package logical

import (
	"errors"
	"fmt"
	"slices"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// Column names of grouping-set plans. GroupingIDName is part of the output
// of GroupingSets; the others only live inside it.
const (
	GroupingIDName     = "__grouping_id"
	groupingPosName    = "__grouping_pos"
	groupingMarkerName = "__grouping_row"
)

// MaxGroupingKeys bounds the keys of GroupingSets: the grouping id keeps
// one bit per key in a BIGINT.
const MaxGroupingKeys = 62

// ErrGroupingSets reports grouping sets that cannot be planned.
var ErrGroupingSets = errors.New("invalid grouping sets")

// Grouped is the plan of GROUP BY GROUPING SETS / ROLLUP / CUBE.
type Grouped struct {
	// Node outputs the keys (named as given; NULL where the row's set does
	// not group the key), the BIGINT grouping id (GroupingIDName), then the
	// aggregates — all qualified by the qualifier given.
	Node Node
	// Keys is the number of key columns; the grouping id is column Keys.
	Keys int
	ids  []int64 // the distinct grouping ids the sets produce
}

// ID is the ordinal of the grouping id column in Node's output.
func (g *Grouped) ID() int { return g.Keys }

// GroupingID is the grouping id of a set of n keys, DuckDB's, Spark's and
// PostgreSQL's convention: one bit per key, the first key the most
// significant bit (1 << (n-1)), set when the key is NOT grouped. So for
// ROLLUP(a, b): (a, b) → 0, (a) → 1, () → 3.
func GroupingID(set []int, n int) int64 {
	var id int64
	for i := 0; i < n; i++ {
		if !slices.Contains(set, i) {
			id |= 1 << (n - 1 - i)
		}
	}
	return id
}

// Grouping is the expression, over Node's output, of SQL's GROUPING(k…) /
// GROUPING_ID(k…) for the given key ordinals (repeats allowed): a BIGINT
// with one bit per argument, the first argument the most significant, set
// when that key is not grouped in the row's set. No arguments means all
// keys in order (GROUPING() / Spark's grouping_id()), which is the id column
// itself (a constant when there is one set). It reads only the grouping id, so it tells a NULL a set put in a
// key from a NULL that is data.
func (g *Grouped) Grouping(keys ...int) (*expr.Expr, error) {
	if len(keys) == 0 {
		keys = make([]int, g.Keys)
		for i := range keys {
			keys[i] = i
		}
	}
	if len(keys) > MaxGroupingKeys {
		return nil, fmt.Errorf("%w: GROUPING takes at most %d arguments", ErrGroupingSets, MaxGroupingKeys)
	}
	for _, k := range keys {
		if k < 0 || k >= g.Keys {
			return nil, fmt.Errorf("%w: GROUPING argument %d is not a grouping key", ErrGroupingSets, k)
		}
	}
	f := g.Node.Schema().Fields[g.Keys]
	id := expr.BoundCol(g.Keys, f)
	if len(g.ids) > 1 && len(keys) == g.Keys && slices.IsSorted(keys) && !hasRepeats(keys) {
		return id, nil
	}
	return groupingCase(id, g.ids, g.Keys, keys), nil
}

// groupingCase maps each grouping id the plan produces to GROUPING(keys):
// CASE WHEN id = i1 THEN v1 … ELSE vN END (a literal when all agree).
func groupingCase(id *expr.Expr, ids []int64, n int, keys []int) *expr.Expr {
	vals := make([]int64, len(ids))
	for j, gid := range ids {
		for _, k := range keys {
			vals[j] = vals[j]<<1 | (gid>>(n-1-k))&1
		}
	}
	last := expr.Lit(types.Int64Value(vals[len(vals)-1]))
	if !slices.ContainsFunc(vals, func(v int64) bool { return v != vals[0] }) {
		return last
	}
	var args []*expr.Expr
	for j := range vals[:len(vals)-1] {
		cond := expr.Call(expr.FnEq, id, expr.Lit(types.Int64Value(ids[j])))
		cond.Type = types.BoolType
		args = append(args, cond, expr.Lit(types.Int64Value(vals[j])))
	}
	c := expr.Call(expr.FnCase, append(args, last)...)
	c.Type = types.Int64Type
	return c
}

func hasRepeats(keys []int) bool {
	for i := 1; i < len(keys); i++ {
		if keys[i] == keys[i-1] {
			return true
		}
	}
	return false
}

// GroupingSets plans GROUP BY GROUPING SETS (sets) over keys: each set lists
// the ordinals of the keys it groups by (ROLLUP, CUBE and products expand
// with Rollup, Cube and CrossSets). keys are bound against input; aggs are
// the aggregates as for Aggregate. Repeated sets yield repeated groups, as
// in DuckDB and PostgreSQL, and the empty set () yields its row even over
// an empty input, like a global aggregate.
//
// One set is an ordinary Aggregate. More become an Expand that emits each
// input row once per set (input columns, then the keys with those outside
// the set NULL, the grouping id, and a position telling repeated sets
// apart) under a two-phase Aggregate grouping by (keys…, id[, position]).
// For the empty set's row over empty input, a VALUES row per empty set with
// every input column NULL joins the Expand's output, and count(*) counts
// a column that is NULL only there; other aggregates must ignore NULLs for
// that (see aggIgnoresNulls), else the empty sets are planned as global
// aggregates of their own over a second copy of the input.
func GroupingSets(input Node, keys []*expr.Expr, keyNames []string, sets [][]int, aggs []AggExpr, qualifier string) (*Grouped, error) {
	norm, err := normalizeSets(keys, keyNames, sets)
	if err != nil {
		return nil, err
	}
	b := &groupingBuilder{input: input, keys: keys, names: keyNames, aggs: aggs, qualifier: qualifier}
	node, err := b.build(norm)
	if err != nil {
		return nil, err
	}
	g := &Grouped{Node: node, Keys: len(keys)}
	for _, s := range norm {
		if id := GroupingID(s, len(keys)); !slices.Contains(g.ids, id) {
			g.ids = append(g.ids, id)
		}
	}
	return g, nil
}

// normalizeSets checks the key ordinals and sorts each set, dropping keys
// repeated within a set.
func normalizeSets(keys []*expr.Expr, keyNames []string, sets [][]int) ([][]int, error) {
	switch {
	case len(keys) != len(keyNames):
		return nil, fmt.Errorf("%w: %d keys but %d names", ErrGroupingSets, len(keys), len(keyNames))
	case len(keys) > MaxGroupingKeys:
		return nil, fmt.Errorf("not supported: more than %d grouping keys (%d)", MaxGroupingKeys, len(keys))
	case len(sets) == 0:
		return nil, fmt.Errorf("%w: no grouping sets", ErrGroupingSets)
	case len(sets) > MaxGroupingSets:
		return nil, fmt.Errorf("not supported: %d grouping sets (at most %d)", len(sets), MaxGroupingSets)
	}
	out := make([][]int, len(sets))
	for i, s := range sets {
		for _, k := range s {
			if k < 0 || k >= len(keys) {
				return nil, fmt.Errorf("%w: set %d names key %d of %d", ErrGroupingSets, i+1, k, len(keys))
			}
		}
		c := slices.Clone(s)
		slices.Sort(c)
		out[i] = slices.Compact(c)
	}
	return out, nil
}
