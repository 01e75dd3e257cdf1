package logical

import (
	"errors"
	"fmt"
	"strings"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// Values is a constant relation: SQL's VALUES (...), (...) and, with one
// row of no columns, the input of SELECT without FROM. Every row has one
// constant expression per column of Out, of that column's type. It runs as
// a single-partition source.
type Values struct {
	Rows [][]*expr.Expr `json:"rows"`
	Out  *types.Schema  `json:"out"`
}

var _ Node = (*Values)(nil)

// ErrValues reports a VALUES list that cannot form a relation.
var ErrValues = errors.New("invalid VALUES")

// NewValues builds a Values node from bound constant rows. Each column takes
// the common type of its expressions across rows (types.Common, as UNION
// does) and expressions of another type are cast to it; a column is nullable
// when any row's expression is. names are the column names (without
// aliases, DefaultValuesNames), qualifier qualifies all of them.
func NewValues(rows [][]*expr.Expr, names []string, qualifier string) (*Values, error) {
	if len(rows) == 0 {
		return nil, fmt.Errorf("%w: no rows", ErrValues)
	}
	width := len(names)
	targets := make([]types.Type, width)
	for r, row := range rows {
		if len(row) != width {
			return nil, fmt.Errorf("%w: row %d has %d values, expected %d", ErrValues, r+1, len(row), width)
		}
		for c, e := range row {
			if len(expr.Columns(e)) > 0 {
				return nil, fmt.Errorf("%w: row %d column %d (%s) reads a column; VALUES takes constants", ErrValues, r+1, c+1, e)
			}
			t, ok := types.Common(targets[c], e.Type)
			if !ok {
				return nil, fmt.Errorf("%w: column %d mixes %s and %s", ErrValues, c+1, targets[c], e.Type)
			}
			targets[c] = t
		}
	}
	for c, t := range targets {
		if t.ID == types.Null {
			// An all-NULL column: DuckDB types it INTEGER.
			targets[c] = types.Int32Type
		}
	}
	v := &Values{Out: &types.Schema{Fields: make([]types.Field, width)}}
	for c, name := range names {
		v.Out.Fields[c] = types.Field{Qualifier: qualifier, Name: name, Type: targets[c]}
	}
	for _, row := range rows {
		out := make([]*expr.Expr, width)
		for c, e := range row {
			ce, err := castConstant(e, targets[c])
			if err != nil {
				return nil, fmt.Errorf("%w: column %d: %w", ErrValues, c+1, err)
			}
			out[c] = ce
			v.Out.Fields[c].Nullable = v.Out.Fields[c].Nullable || ce.Nullable
		}
		v.Rows = append(v.Rows, out)
	}
	return v, nil
}

// DefaultValuesNames are the column names of a VALUES list without column
// aliases, DuckDB's col0, col1, ….
func DefaultValuesNames(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("col%d", i)
	}
	return out
}

// OneRow is the relation of one row and no columns that SELECT without
// FROM projects from.
func OneRow() *Values {
	return &Values{Rows: [][]*expr.Expr{{}}, Out: &types.Schema{}}
}

// castConstant converts a constant expression to t, folding the cast of a
// literal where the binder can (so a NULL literal becomes a typed NULL).
func castConstant(e *expr.Expr, t types.Type) (*expr.Expr, error) {
	if e.Type == t {
		return e, nil
	}
	c := expr.Cast(e, t)
	c.Nullable = e.Nullable
	return expr.Bind(c, &types.Schema{}, nil)
}

func (v *Values) Schema() *types.Schema { return v.Out }
func (v *Values) Children() []Node      { return nil }

func (v *Values) WithChildren(children ...Node) Node {
	mustChildren(0, children, "Values")
	return v
}

func (v *Values) Describe() string {
	rows := make([]string, len(v.Rows))
	for i, r := range v.Rows {
		rows[i] = "(" + exprList(r) + ")"
	}
	if len(rows) > 8 {
		rows = append(rows[:8], fmt.Sprintf("... %d rows", len(v.Rows)))
	}
	return fmt.Sprintf("Values [%s] %s", strings.Join(v.Out.Names(), ", "), strings.Join(rows, " "))
}
