package dataset

import (
	"fmt"
	"strings"

	"github.com/drover-etl/drover/types"
)

// fileSchema is one file's schema and where it came from (for errors).
type fileSchema struct {
	url    string
	schema *types.Schema
}

// merged accumulates the union of file schemas: the first file's columns
// in its order, then columns other files add, in the order first seen.
type merged struct {
	fields []types.Field
	from   []string // the file each field's current type came from
	count  []int    // how many files have the column
	index  map[string]int
	files  int
}

// mergeSchemas unions the file schemas by column name (ignoring case, as
// the Parquet reader matches names), widening types where every value of
// one fits the other; a column some file lacks is nullable.
func mergeSchemas(files []fileSchema) (*types.Schema, error) {
	m := &merged{index: map[string]int{}}
	for _, f := range files {
		if err := m.add(f); err != nil {
			return nil, err
		}
	}
	out := &types.Schema{Fields: m.fields}
	for i := range out.Fields {
		if m.count[i] < m.files {
			out.Fields[i].Nullable = true
		}
	}
	return out, nil
}

func (m *merged) add(f fileSchema) error {
	m.files++
	for _, fld := range f.schema.Fields {
		key := strings.ToLower(fld.Name)
		i, ok := m.index[key]
		if !ok {
			m.index[key] = len(m.fields)
			m.fields = append(m.fields, fld)
			m.from = append(m.from, f.url)
			m.count = append(m.count, 1)
			continue
		}
		m.count[i]++
		cur := m.fields[i]
		t, ok := widen(cur.Type, fld.Type)
		if !ok {
			return fmt.Errorf("%w: column %q is %s in %s but %s in %s (declare the column's type in the source's schema to read both)",
				ErrSchemaConflict, cur.Name, cur.Type, m.from[i], fld.Type, f.url)
		}
		if t != cur.Type {
			m.from[i] = f.url
		}
		m.fields[i].Type = t
		m.fields[i].Nullable = cur.Nullable || fld.Nullable
	}
	return nil
}

// widen is the narrowest type holding every value of a and of b without
// loss, if any: integers widen to int64, floats to float64, decimals (and
// integers meeting decimals) to enough integer and fraction digits for
// both, at most 38.
func widen(a, b types.Type) (types.Type, bool) {
	switch {
	case a == b:
		return a, true
	case a.IsInteger() && b.IsInteger():
		return types.Int64Type, true
	case a.IsFloat() && b.IsFloat():
		return types.Float64Type, true
	}
	da, okA := asDecimal(a)
	db, okB := asDecimal(b)
	if !okA || !okB || (a.ID != types.Decimal && b.ID != types.Decimal) {
		return types.Type{}, false
	}
	scale := max(da.Scale, db.Scale)
	prec := scale + max(da.Precision-da.Scale, db.Precision-db.Scale)
	if prec > types.MaxDecimalPrecision {
		return types.Type{}, false
	}
	return types.DecimalOf(prec, scale), true
}

// asDecimal is the decimal type holding every value of an exact numeric
// type.
func asDecimal(t types.Type) (types.Type, bool) {
	switch t.ID {
	case types.Decimal:
		return t, true
	case types.Int32:
		return types.DecimalOf(10, 0), true
	case types.Int64:
		return types.DecimalOf(19, 0), true
	}
	return types.Type{}, false
}
