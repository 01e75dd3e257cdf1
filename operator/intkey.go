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

// intLike: intKeys takes col.
func intLike(col arrow.Array) bool {
	switch col.(type) {
	case *array.Int64, *array.Timestamp, *array.Int32, *array.Date32:
		return true
	}
	return false
}
