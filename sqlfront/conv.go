package sqlfront

import (
	"github.com/drover-etl/drover/sqlfront/ast"
)

// conv converts syntax tree expressions for one SELECT block. Subqueries
// and window calls become placeholders registered on q, planned when q's
// clauses bind. A nil *conv converts standalone expressions (the
// structured views' strings), where neither can appear.
type conv struct {
	b *sqlBuilder
	q *Query
	// windows are the block's named windows (WINDOW w AS (...)).
	windows map[string]*ast.WindowSpec
}

func newConv(b *sqlBuilder, q *Query, sel *ast.Select) *conv {
	c := &conv{b: b, q: q}
	if sel != nil && len(sel.Windows) > 0 {
		c.windows = map[string]*ast.WindowSpec{}
		for _, w := range sel.Windows {
			c.windows[w.Name] = w.Spec
		}
	}
	return c
}
