package optimizer

import (
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
)

// pruneExpand drops the output columns no one reads from every projection
// list and asks the input only for the columns the kept expressions read:
// a grouping-sets Expand passes all input columns through, and most are
// not aggregated.
func pruneExpand(e *logical.Expand, need colSet) (logical.Node, colMap) {
	need = ensureOne(e, need)
	inNeed := make(colSet, e.Input.Schema().Len())
	for _, p := range e.Projections {
		for i, keep := range need {
			if keep {
				inNeed.addExpr(p[i], 0)
			}
		}
	}
	in, m := prune(e.Input, inNeed)
	s := in.Schema()
	c := &logical.Expand{Input: in, Qualifier: e.Qualifier}
	for i, keep := range need {
		if keep {
			c.Names = append(c.Names, e.Names[i])
		}
	}
	for _, p := range e.Projections {
		var list []*expr.Expr
		for i, keep := range need {
			if keep {
				list = append(list, remap(p[i], m, s))
			}
		}
		c.Projections = append(c.Projections, list)
	}
	return c, keptMap(need)
}

// pruneValues drops unread columns from every row.
func pruneValues(v *logical.Values, need colSet) (logical.Node, colMap) {
	need = ensureOne(v, need)
	if need.count() == len(need) {
		return v, identityMap(len(need))
	}
	c := &logical.Values{Out: v.Out.Project(keptColumns(need))}
	for _, row := range v.Rows {
		var r []*expr.Expr
		for i, keep := range need {
			if keep {
				r = append(r, row[i])
			}
		}
		c.Rows = append(c.Rows, r)
	}
	return c, keptMap(need)
}

func keptColumns(need colSet) []int {
	var out []int
	for i, keep := range need {
		if keep {
			out = append(out, i)
		}
	}
	return out
}
