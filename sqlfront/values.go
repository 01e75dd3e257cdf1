package sqlfront

import (
	"strconv"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/sqlfront/ast"
	"github.com/drover-etl/drover/types"
)

// values plans a VALUES list: constant rows whose columns are named col0,
// col1, ... as in DuckDB (a derived table's column list renames them).
func (b *sqlBuilder) values(x *ast.Values) (logical.Node, error) {
	empty := &types.Schema{}
	rows := make([][]*expr.Expr, len(x.Rows))
	for i, r := range x.Rows {
		if i > 0 && len(r) != len(x.Rows[0]) {
			return nil, planErr("VALUES row %d has %d columns, row 1 has %d", i+1, len(r), len(x.Rows[0]))
		}
		rows[i] = make([]*expr.Expr, len(r))
		for j, e := range r {
			c, err := (*conv)(nil).convert(e)
			if err != nil {
				return nil, err
			}
			bound, err := expr.Bind(c, empty, b.funcs)
			if err != nil {
				return nil, planErr("VALUES row %d, column %d: %v", i+1, j+1, err)
			}
			rows[i][j] = bound
		}
	}
	names := make([]string, len(x.Rows[0]))
	for i := range names {
		names[i] = "col" + strconv.Itoa(i)
	}
	n, err := logical.NewValues(rows, names, "")
	if err != nil {
		return nil, planErr("%v", err)
	}
	return n, nil
}
