package operator

import (
	"cmp"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// rowCmp compares row i with row j of one column set.
type rowCmp func(i, j int) int

// columnCmp builds a typed comparator for one column; the type switch runs
// once per column, not per comparison. NULL is larger than every value.
func columnCmp(a arrow.Array) rowCmp {
	switch a := a.(type) {
	case *array.Int32:
		return nullAware(a, typed(a.Int32Values()))
	case *array.Int64:
		return nullAware(a, typed(a.Int64Values()))
	case *array.Float32:
		v := a.Float32Values()
		return nullAware(a, func(i, j int) int { return types.CompareFloat(v[i], v[j]) })
	case *array.Float64:
		v := a.Float64Values()
		return nullAware(a, func(i, j int) int { return types.CompareFloat(v[i], v[j]) })
	case *array.Date32:
		return nullAware(a, typed(a.Date32Values()))
	case *array.Timestamp:
		return nullAware(a, typed(a.TimestampValues()))
	case *array.Decimal128:
		v := a.Values()
		return nullAware(a, func(i, j int) int { return v[i].Cmp(v[j]) })
	case *array.String:
		return nullAware(a, func(i, j int) int { return strings.Compare(a.Value(i), a.Value(j)) })
	case *array.Boolean:
		return nullAware(a, func(i, j int) int { return boolCmp(a.Value(i), a.Value(j)) })
	}
	return func(i, j int) int { return cellCompare(a, i, a, j) }
}

func typed[T cmp.Ordered](v []T) rowCmp { return func(i, j int) int { return cmp.Compare(v[i], v[j]) } }

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

func nullAware(a arrow.Array, f rowCmp) rowCmp {
	if a.NullN() == 0 {
		return f
	}
	return func(i, j int) int {
		ni, nj := a.IsNull(i), a.IsNull(j)
		switch {
		case ni && nj:
			return 0
		case ni:
			return 1
		case nj:
			return -1
		}
		return f(i, j)
	}
}

// keysCmp compares rows by several key columns with their directions.
func keysCmp(cols []arrow.Array, keys []logical.SortKey) rowCmp {
	cmps := make([]rowCmp, len(cols))
	for i, c := range cols {
		cmps[i] = directed(columnCmp(c), c, keys[i])
	}
	return func(i, j int) int {
		for _, c := range cmps {
			if r := c(i, j); r != 0 {
				return r
			}
		}
		return 0
	}
}

// directed applies DESC and NULLS FIRST/LAST to a comparator whose NULLs
// sort last ascending.
func directed(f rowCmp, a arrow.Array, k logical.SortKey) rowCmp {
	nullsLastNatural := !k.Desc // NULL is "largest": last when ascending
	flipNulls := k.NullsFirst == nullsLastNatural
	return func(i, j int) int {
		r := f(i, j)
		if k.Desc {
			r = -r
		}
		if flipNulls && a.IsNull(i) != a.IsNull(j) {
			r = -r
		}
		return r
	}
}

// cellCompare compares a[i] with b[j] of the same logical type (used when
// merging rows of different batches). NULL is larger than every value.
func cellCompare(a arrow.Array, i int, b arrow.Array, j int) int {
	na, nb := a.IsNull(i), b.IsNull(j)
	switch {
	case na && nb:
		return 0
	case na:
		return 1
	case nb:
		return -1
	}
	switch a := a.(type) {
	case *array.Int32:
		return cmp.Compare(a.Value(i), b.(*array.Int32).Value(j))
	case *array.Int64:
		return cmp.Compare(a.Value(i), b.(*array.Int64).Value(j))
	case *array.Float32:
		return types.CompareFloat(a.Value(i), b.(*array.Float32).Value(j))
	case *array.Float64:
		return types.CompareFloat(a.Value(i), b.(*array.Float64).Value(j))
	case *array.Date32:
		return cmp.Compare(a.Value(i), b.(*array.Date32).Value(j))
	case *array.Timestamp:
		return cmp.Compare(a.Value(i), b.(*array.Timestamp).Value(j))
	case *array.Decimal128:
		return a.Value(i).Cmp(b.(*array.Decimal128).Value(j))
	case *array.Boolean:
		return boolCmp(a.Value(i), b.(*array.Boolean).Value(j))
	}
	return cmp.Compare(stringAt(a, i), stringAt(b, j))
}

// cellsCmp compares row i of key set a with row j of key set b.
func cellsCmp(a []arrow.Array, i int, b []arrow.Array, j int, keys []logical.SortKey) int {
	for c, k := range keys {
		r := cellCompare(a[c], i, b[c], j)
		if k.Desc {
			r = -r
		}
		if k.NullsFirst == !k.Desc && a[c].IsNull(i) != b[c].IsNull(j) {
			r = -r
		}
		if r != 0 {
			return r
		}
	}
	return 0
}
