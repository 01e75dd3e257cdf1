package operator

import (
	"cmp"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// rangeKeys reads one order key for RANGE offsets.
type rangeKeys interface {
	load(col arrow.Array)
	null(j int) bool
	nullsFirst() bool
	// cmpShifted compares row j's key with row i's key moved by the offset
	// (back for PRECEDING, forward for FOLLOWING, in sort direction),
	// negative when j sorts before it.
	cmpShifted(j, i int, following bool) int
}

func newRangeKeys(k logical.SortKey, off types.Value) (rangeKeys, error) {
	t := k.Expr.Type
	switch {
	case t.IsInteger() || t.ID == types.Date || t.ID == types.Timestamp:
		return &typedRangeKeys[int64]{key: k, off: off.I, values: asInt64s, add: addSat, cmp: cmp.Compare[int64]}, nil
	case t.IsFloat():
		return &typedRangeKeys[float64]{key: k, off: off.F, values: asFloat64s, add: func(a, b float64) float64 { return a + b },
			cmp: types.CompareFloat[float64]}, nil
	case t.ID == types.Decimal:
		return &typedRangeKeys[decimal128.Num]{key: k, off: off.Decimal128(), values: asDecimals, add: addDecimalSat,
			cmp: func(a, b decimal128.Num) int { return a.Cmp(b) }}, nil
	}
	return nil, fmt.Errorf("not supported: RANGE offset over a %s key", t)
}

type typedRangeKeys[T any] struct {
	key    logical.SortKey
	off    T
	vals   []T
	col    arrow.Array
	values func(arrow.Array) []T
	add    func(a, b T) T
	cmp    func(a, b T) int
}

func (t *typedRangeKeys[T]) load(col arrow.Array) { t.col, t.vals = col, t.values(col) }
func (t *typedRangeKeys[T]) null(j int) bool      { return t.col.IsNull(j) }
func (t *typedRangeKeys[T]) nullsFirst() bool     { return t.key.NullsFirst }

func (t *typedRangeKeys[T]) cmpShifted(j, i int, following bool) int {
	// Ascending, PRECEDING moves down; descending, it moves up.
	up := following != t.key.Desc
	var target T
	if up {
		target = t.add(t.vals[i], t.off)
	} else {
		target = sub(t, t.vals[i])
	}
	d := t.cmp(t.vals[j], target)
	if t.key.Desc {
		d = -d
	}
	return d
}

func sub[T any](t *typedRangeKeys[T], v T) T {
	switch off := any(t.off).(type) {
	case int64:
		return any(subSat(any(v).(int64), off)).(T)
	case float64:
		return any(any(v).(float64) - off).(T)
	case decimal128.Num:
		return any(addDecimalSat(any(v).(decimal128.Num), off.Negate())).(T)
	}
	panic("window: unexpected range key type")
}

func addSat(a, b int64) int64 {
	if b > 0 && a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

func subSat(a, b int64) int64 {
	if b > 0 && a < math.MinInt64+b {
		return math.MinInt64
	}
	return a - b
}

// addDecimalSat adds two decimals; offsets and keys are far below 128
// bits, so this only guards against wrapping.
func addDecimalSat(a, b decimal128.Num) decimal128.Num {
	s := addDecimal(a, b)
	if a.Sign() == b.Sign() && a.Sign() != 0 && s.Sign() != a.Sign() {
		if a.Sign() > 0 {
			return decimal128.MaxDecimal128
		}
		return decimal128.MaxDecimal128.Negate()
	}
	return s
}

func asInt64s(a arrow.Array) []int64 {
	switch a := a.(type) {
	case *array.Int64:
		return a.Int64Values()
	case *array.Int32:
		return convert(a.Int32Values(), func(v int32) int64 { return int64(v) })
	case *array.Date32:
		return convert(a.Date32Values(), func(v arrow.Date32) int64 { return int64(v) })
	case *array.Timestamp:
		return convert(a.TimestampValues(), func(v arrow.Timestamp) int64 { return int64(v) })
	}
	panic("window: RANGE key is not integer-like: " + a.DataType().String())
}

func asFloat64s(a arrow.Array) []float64 {
	v, err := float64Values(a)
	if err != nil {
		panic("window: " + err.Error())
	}
	return v
}

func asDecimals(a arrow.Array) []decimal128.Num { return a.(*array.Decimal128).Values() }
