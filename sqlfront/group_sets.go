package sqlfront

import (
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/sqlfront/ast"
)

// groupBy converts GROUP BY into q's keys and, when it uses ROLLUP, CUBE
// or GROUPING SETS, the grouping sets over them. Every element of GROUP BY
// is a list of sets; the elements combine by cross product (GROUP BY a,
// ROLLUP(b, c) groups by (a, b, c), (a, b) and (a)). A key written twice is
// one key.
func (c *conv) groupBy(q *Query, items []*ast.GroupItem) error {
	keys := map[string]int{}
	sets := [][]int{{}}
	grouped := false
	for i, g := range items {
		s, err := c.groupSets(q, g, keys)
		if err != nil {
			return clauseErr("group_by", i, err)
		}
		grouped = grouped || (g.Kind != ast.GroupExpr && g.Kind != ast.GroupList)
		if sets, err = logical.CrossSets(sets, s); err != nil {
			return clauseErr("group_by", i, unsupported("not supported: %v", err))
		}
	}
	if grouped && len(q.GroupBy) > 0 {
		q.GroupingSets = sets
	}
	return nil
}

// groupSets lists the grouping sets of one GROUP BY element, adding its
// keys to q.GroupBy.
func (c *conv) groupSets(q *Query, g *ast.GroupItem, keys map[string]int) ([][]int, error) {
	switch g.Kind {
	case ast.GroupExpr, ast.GroupList:
		set, err := c.groupKeys(q, g, keys)
		return [][]int{set}, err
	case ast.GroupRollup, ast.GroupCube:
		elems := make([][]int, len(g.Items))
		for i, it := range g.Items {
			if it.Kind != ast.GroupExpr && it.Kind != ast.GroupList {
				return nil, planErr("ROLLUP and CUBE take expressions or (lists), not %s", snippet(it))
			}
			set, err := c.groupKeys(q, it, keys)
			if err != nil {
				return nil, err
			}
			elems[i] = set
		}
		if g.Kind == ast.GroupRollup {
			return logical.Rollup(elems), nil
		}
		cube, err := logical.Cube(elems)
		if err != nil {
			return nil, unsupported("not supported: %v", err)
		}
		return cube, nil
	case ast.GroupSets:
		var out [][]int
		for _, it := range g.Items {
			s, err := c.groupSets(q, it, keys)
			if err != nil {
				return nil, err
			}
			out = append(out, s...)
		}
		return out, nil
	}
	return nil, unsupported("not supported: %s in GROUP BY", snippet(g))
}

// groupKeys resolves the expressions of a plain element or list to key
// ordinals, registering new keys.
func (c *conv) groupKeys(q *Query, g *ast.GroupItem, keys map[string]int) ([]int, error) {
	items, err := c.groupItems(g, q)
	if err != nil {
		return nil, err
	}
	set := make([]int, 0, len(items))
	for _, it := range items {
		k := it.Expr.String()
		idx, ok := keys[k]
		if !ok {
			idx = len(q.GroupBy)
			keys[k] = idx
			q.GroupBy = append(q.GroupBy, it)
		}
		set = append(set, idx)
	}
	return set, nil
}
