package optimizer

import (
	"errors"
	"fmt"

	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// validateSetNode checks the nodes of grouping sets, VALUES and set
// operations: every Expand list and VALUES row has one expression per
// column, of the column's type; VALUES reads no columns; Replicate counts
// with a bound BIGINT; SetOp inputs line up column for column.
func validateSetNode(n logical.Node) error {
	switch t := n.(type) {
	case *logical.Expand:
		return validateExpand(t)
	case *logical.Values:
		return validateValues(t)
	case *logical.Replicate:
		if t.Count == nil || t.Count.Type != types.Int64Type {
			return errors.New("replicate count must be a BIGINT expression")
		}
		return checkExpr(t.Count, t.Input.Schema())
	case *logical.SetOp:
		l, r := t.Left.Schema(), t.Right.Schema()
		if l.Len() != r.Len() {
			return fmt.Errorf("inputs have %d and %d columns", l.Len(), r.Len())
		}
		for i, f := range l.Fields {
			if f.Type != r.Fields[i].Type {
				return fmt.Errorf("column %d is %s on the left, %s on the right", i, f.Type, r.Fields[i].Type)
			}
		}
	}
	return nil
}

func validateExpand(e *logical.Expand) error {
	if len(e.Projections) == 0 {
		return errors.New("expand without projection lists")
	}
	in := e.Input.Schema()
	for j, p := range e.Projections {
		if len(p) != len(e.Names) {
			return fmt.Errorf("list %d has %d expressions for %d names", j, len(p), len(e.Names))
		}
		if err := checkExprs(p, in); err != nil {
			return fmt.Errorf("list %d: %w", j, err)
		}
		for i, x := range p {
			if x.Type != e.Projections[0][i].Type {
				return fmt.Errorf("list %d column %d is %s, list 0 has %s", j, i, x.Type, e.Projections[0][i].Type)
			}
		}
	}
	return nil
}

func validateValues(v *logical.Values) error {
	if v.Out == nil {
		return errors.New("values without a schema")
	}
	empty := &types.Schema{}
	for r, row := range v.Rows {
		if len(row) != v.Out.Len() {
			return fmt.Errorf("row %d has %d values for %d columns", r, len(row), v.Out.Len())
		}
		if err := checkExprs(row, empty); err != nil {
			return fmt.Errorf("row %d: %w", r, err)
		}
		for c, x := range row {
			if x.Type != v.Out.Fields[c].Type {
				return fmt.Errorf("row %d column %d is %s, the column is %s", r, c, x.Type, v.Out.Fields[c].Type)
			}
		}
	}
	return nil
}
