package rtfilter

import (
	"math/bits"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/zeebo/xxh3"
)

// class is what a key column's values are, as far as equality goes: the
// Arrow type with dictionary encoding and string offsets' width taken off.
// Build and probe keys of different classes are never compared.
type class struct {
	id   arrow.Type
	unit arrow.TimeUnit // timestamps
}

// classOf reads the Arrow types the Set hashes; ok is false for others.
func classOf(dt arrow.DataType) (class, bool) {
	if d, ok := dt.(*arrow.DictionaryType); ok {
		if !arrow.IsInteger(d.IndexType.ID()) {
			return class{}, false
		}
		dt = d.ValueType
	}
	switch dt.ID() {
	case arrow.INT32, arrow.INT64, arrow.DATE32:
		return class{id: dt.ID()}, true
	case arrow.TIMESTAMP:
		return class{id: arrow.TIMESTAMP, unit: dt.(*arrow.TimestampType).Unit}, true
	case arrow.STRING, arrow.LARGE_STRING:
		return class{id: arrow.STRING}, true
	}
	return class{}, false
}

// isInt says whether the class's values are integers (ranged keys).
func (c class) isInt() bool { return c.id != arrow.STRING }

// mix is splitmix64's finalizer: integer keys' hash.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// combine folds key k's hash into a composite key's hash h.
func combine(h, k uint64, first bool) uint64 {
	if first {
		return k
	}
	return mix(bits.RotateLeft64(h, 23) ^ k)
}

// hashColumn folds column a's hash of each row in rows into hs (first:
// the first key column, hs is overwritten) and marks rows whose value is
// NULL in null. It returns false when it cannot read a's type.
func hashColumn(a arrow.Array, rows []int32, hs []uint64, null []bool, first bool) bool {
	if a.NullN() > 0 {
		for j, r := range rows {
			if a.IsNull(int(r)) {
				null[j] = true
			}
		}
	}
	switch c := a.(type) {
	case *array.Int32:
		v := c.Int32Values()
		for j, r := range rows {
			hs[j] = combine(hs[j], mix(uint64(int64(v[r]))), first)
		}
	case *array.Date32:
		v := c.Date32Values()
		for j, r := range rows {
			hs[j] = combine(hs[j], mix(uint64(int64(v[r]))), first)
		}
	case *array.Int64:
		v := c.Int64Values()
		for j, r := range rows {
			hs[j] = combine(hs[j], mix(uint64(v[r])), first)
		}
	case *array.Timestamp:
		v := c.TimestampValues()
		for j, r := range rows {
			hs[j] = combine(hs[j], mix(uint64(v[r])), first)
		}
	case *array.String:
		for j, r := range rows {
			hs[j] = combine(hs[j], xxh3.HashString(c.Value(int(r))), first)
		}
	case *array.LargeString:
		for j, r := range rows {
			hs[j] = combine(hs[j], xxh3.HashString(c.Value(int(r))), first)
		}
	case *array.Dictionary:
		return hashDictionary(c, rows, hs, null, first)
	default:
		return false
	}
	return true
}

// hashDictionary hashes each dictionary value once and looks rows up by
// their index; a row whose dictionary value is NULL is NULL.
func hashDictionary(d *array.Dictionary, rows []int32, hs []uint64, null []bool, first bool) bool {
	dict := d.Dictionary()
	all := make([]int32, dict.Len())
	for i := range all {
		all[i] = int32(i)
	}
	dh, dnull := make([]uint64, dict.Len()), make([]bool, dict.Len())
	if !hashColumn(dict, all, dh, dnull, true) {
		return false
	}
	at := d.GetValueIndex
	if idx, ok := d.Indices().(*array.Int32); ok {
		v := idx.Int32Values()
		at = func(i int) int { return int(v[i]) }
	}
	for j, r := range rows {
		if null[j] {
			continue
		}
		k := at(int(r))
		hs[j] = combine(hs[j], dh[k], first)
		null[j] = dnull[k]
	}
	return true
}

// outOfRange marks in drop the rows of an integer-class column (no
// dictionary) outside [lo, hi]; false when a is not one.
func outOfRange(a arrow.Array, rows []int32, lo, hi int64, drop []bool) bool {
	switch c := a.(type) {
	case *array.Int32:
		markOut(c.Int32Values(), rows, lo, hi, drop)
	case *array.Date32:
		markOut(c.Date32Values(), rows, lo, hi, drop)
	case *array.Int64:
		markOut(c.Int64Values(), rows, lo, hi, drop)
	case *array.Timestamp:
		markOut(c.TimestampValues(), rows, lo, hi, drop)
	default:
		return false
	}
	return true
}

func markOut[T ~int32 | ~int64](v []T, rows []int32, lo, hi int64, drop []bool) {
	for j, r := range rows {
		if x := int64(v[r]); x < lo || x > hi {
			drop[j] = true
		}
	}
}

// intRange is the smallest and largest non-NULL value of an
// integer-class column (no dictionary); ok is false when it has none or
// is not one.
func intRange(a arrow.Array) (lo, hi int64, ok bool) {
	switch c := a.(type) {
	case *array.Int32:
		return rangeOf(c.Int32Values(), a)
	case *array.Date32:
		return rangeOf(c.Date32Values(), a)
	case *array.Int64:
		return rangeOf(c.Int64Values(), a)
	case *array.Timestamp:
		return rangeOf(c.TimestampValues(), a)
	}
	return 0, 0, false
}

func rangeOf[T ~int32 | ~int64](v []T, a arrow.Array) (lo, hi int64, ok bool) {
	for i, x := range v {
		if a.IsNull(i) {
			continue
		}
		if !ok || int64(x) < lo {
			lo = int64(x)
		}
		if !ok || int64(x) > hi {
			hi = int64(x)
		}
		ok = true
	}
	return lo, hi, ok
}
