package operator

import (
	"cmp"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/plan/logical"
)

// sortPermutation returns row indexes in key order. Ties are broken by row
// index, so the result is exactly a stable sort's, but pdqsort does the
// work, over normalized keys where the key types allow (sortnorm.go).
// Otherwise, when the first key is an integer-like column without NULLs (ids,
// dates, timestamps), rows are sorted as (key, row) pairs: the common
// comparisons then read a contiguous array instead of calling through
// per-column comparators.
func sortPermutation(keyCols []arrow.Array, keys []logical.SortKey, n int) []int32 {
	if len(keys) == 1 {
		// one integer key without NULLs is its own normalized key
		if rows, ok := prefixRows(keyCols[0], keys[0].Desc); ok {
			return sortPrefixed(rows, nil, nil)
		}
	}
	if perm, ok := normPermutation(keyCols, keys, n); ok {
		return perm
	}
	return cmpPermutation(keyCols, keys, n)
}

// cmpPermutation is sortPermutation through the per-column comparators,
// for key types without a normalized encoding.
func cmpPermutation(keyCols []arrow.Array, keys []logical.SortKey, n int) []int32 {
	if rows, ok := prefixRows(keyCols[0], keys[0].Desc); ok {
		return sortPrefixed(rows, keyCols[1:], keys[1:])
	}
	c := keysCmp(keyCols, keys)
	perm := make([]int32, n)
	for i := range perm {
		perm[i] = int32(i)
	}
	slices.SortFunc(perm, func(a, b int32) int {
		if r := c(int(a), int(b)); r != 0 {
			return r
		}
		return cmp.Compare(a, b)
	})
	return perm
}

// prefixedRow is a row index with its first sort key as an int64 whose
// order is the key's order (bit-inverted for DESC).
type prefixedRow struct {
	key int64
	row int32
}

func sortPrefixed(rows []prefixedRow, restCols []arrow.Array, restKeys []logical.SortKey) []int32 {
	var rest rowCmp
	if len(restCols) > 0 {
		rest = keysCmp(restCols, restKeys)
	}
	slices.SortFunc(rows, func(x, y prefixedRow) int {
		if x.key != y.key {
			return cmp.Compare(x.key, y.key)
		}
		if rest != nil {
			if r := rest(int(x.row), int(y.row)); r != 0 {
				return r
			}
		}
		return cmp.Compare(x.row, y.row)
	})
	perm := make([]int32, len(rows))
	for i, r := range rows {
		perm[i] = r.row
	}
	return perm
}

// prefixRows makes the (key, row) pairs of an integer-like column without
// NULLs; ok is false for other columns.
func prefixRows(a arrow.Array, desc bool) (rows []prefixedRow, ok bool) {
	if a.NullN() > 0 {
		return nil, false
	}
	switch a := a.(type) {
	case *array.Int32:
		return prefixOf(a.Int32Values(), desc), true
	case *array.Int64:
		return prefixOf(a.Int64Values(), desc), true
	case *array.Date32:
		return prefixOf(a.Date32Values(), desc), true
	case *array.Timestamp:
		return prefixOf(a.TimestampValues(), desc), true
	}
	return nil, false
}

func prefixOf[T int32 | int64 | arrow.Date32 | arrow.Timestamp](v []T, desc bool) []prefixedRow {
	rows := make([]prefixedRow, len(v))
	for i, x := range v {
		k := int64(x)
		if desc {
			k = ^k // reverses the order of every int64, MinInt64 included
		}
		rows[i] = prefixedRow{key: k, row: int32(i)}
	}
	return rows
}
