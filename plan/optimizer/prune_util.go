package optimizer

import (
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// colSet marks the columns of a node's output that someone reads.
type colSet []bool

func allCols(n int) colSet {
	s := make(colSet, n)
	for i := range s {
		s[i] = true
	}
	return s
}

func (s colSet) count() int {
	n := 0
	for _, b := range s {
		if b {
			n++
		}
	}
	return n
}

// addExpr marks the columns e reads, shifted by -offset; columns outside
// the set (the other side of a join) are ignored.
func (s colSet) addExpr(e *expr.Expr, offset int) {
	if e == nil {
		return
	}
	for _, c := range expr.Columns(e) {
		if i := c - offset; i >= 0 && i < len(s) {
			s[i] = true
		}
	}
}

// colMap says where each old output column went: its new ordinal, or -1.
type colMap []int

func (m colMap) to(i int) int {
	if i < 0 || i >= len(m) {
		return -1
	}
	return m[i]
}

// remap rebinds e from a node's old input onto its pruned input.
func remap(e *expr.Expr, m colMap, s *types.Schema) *expr.Expr {
	if e == nil {
		return nil
	}
	return rebind(e, s, m.to)
}

func remapAll(es []*expr.Expr, m colMap, s *types.Schema) []*expr.Expr {
	return rebindAll(es, s, m.to)
}

// ensureOne marks one column when none is needed: a node producing no
// columns would lose its row count (count(*) over a scan needs rows).
func ensureOne(n logical.Node, need colSet) colSet {
	if need.count() > 0 || len(need) == 0 {
		return need
	}
	out := append(colSet(nil), need...)
	out[cheapestColumn(n)] = true
	return out
}

// cheapestColumn picks the narrowest column, avoiding plugin calls.
func cheapestColumn(n logical.Node) int {
	best, bestCost := 0, -1
	p, isProject := n.(*logical.Project)
	for i, f := range n.Schema().Fields {
		cost := typeWidth(f.Type)
		if isProject && hasPlugin(p.Exprs[i]) {
			cost += 1 << 20
		}
		if bestCost < 0 || cost < bestCost {
			best, bestCost = i, cost
		}
	}
	return best
}

// typeWidth is a rough byte width per value, used to pick cheap columns
// and to scale size estimates by the columns a node keeps.
func typeWidth(t types.Type) int {
	switch t.ID {
	case types.Null, types.Bool:
		return 1
	case types.Int32, types.Float32, types.Date:
		return 4
	case types.Int64, types.Float64, types.Timestamp:
		return 8
	case types.Decimal:
		return 16
	}
	return 24 // strings: a guess at a typical short string plus offsets
}

func rowWidth(s *types.Schema) int {
	w := 0
	for _, f := range s.Fields {
		w += typeWidth(f.Type)
	}
	return w
}

// selectColumns is a Project keeping the given input columns in order. It
// keeps the qualifier when the kept columns share one; a Project has just
// one, so mixed qualifiers (a join's output) become none.
func selectColumns(in logical.Node, cols []int) *logical.Project {
	s := in.Schema()
	p := &logical.Project{Input: in, Qualifier: sharedQualifier(s, cols)}
	for _, c := range cols {
		p.Exprs = append(p.Exprs, expr.BoundCol(c, s.Fields[c]))
		p.Names = append(p.Names, s.Fields[c].Name)
	}
	return p
}

func sharedQualifier(s *types.Schema, cols []int) string {
	if len(cols) == 0 {
		return ""
	}
	q := s.Fields[cols[0]].Qualifier
	for _, c := range cols[1:] {
		if s.Fields[c].Qualifier != q {
			return ""
		}
	}
	return q
}
