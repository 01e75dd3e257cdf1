package operator

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// intKeys returns the values of a single integer-like key column widened to
// int64 (ok=false for other types), so the hash tables can key rows by
// int64 instead of encoding every row to bytes.
func intKeys(cols []arrow.Array) ([]int64, arrow.Array, bool) {
	if len(cols) != 1 {
		return nil, nil, false
	}
	switch a := cols[0].(type) {
	case *array.Int64:
		return a.Int64Values(), a, true
	case *array.Timestamp:
		return convert(a.TimestampValues(), func(v arrow.Timestamp) int64 { return int64(v) }), a, true
	case *array.Int32:
		return convert(a.Int32Values(), func(v int32) int64 { return int64(v) }), a, true
	case *array.Date32:
		return convert(a.Date32Values(), func(v arrow.Date32) int64 { return int64(v) }), a, true
	}
	return nil, nil, false
}

// widen is intKeys of one column into scratch: an Int64 column's own
// values, or the others widened into scratch (grown as needed), which it
// returns second for reuse.
func widen(col arrow.Array, scratch []int64) (vals, kept []int64) {
	switch a := col.(type) {
	case *array.Int64:
		return a.Int64Values(), scratch
	case *array.Timestamp:
		return widenInto(a.TimestampValues(), scratch)
	case *array.Int32:
		return widenInto(a.Int32Values(), scratch)
	case *array.Date32:
		return widenInto(a.Date32Values(), scratch)
	}
	return nil, scratch
}

func widenInto[S ~int32 | ~int64](in []S, scratch []int64) (vals, kept []int64) {
	if cap(scratch) < len(in) {
		scratch = make([]int64, len(in))
	}
	out := scratch[:len(in)]
	for i, v := range in {
		out[i] = int64(v)
	}
	return out, scratch
}

// intLike: intKeys takes col.
func intLike(col arrow.Array) bool {
	switch col.(type) {
	case *array.Int64, *array.Timestamp, *array.Int32, *array.Date32:
		return true
	}
	return false
}
