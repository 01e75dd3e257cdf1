package operator

import (
	"cmp"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/types"
)

// minMax keeps the least (or greatest) value per group. values extracts a
// typed slice from an input array; less orders two values.
type minMax[T any] struct {
	dt     arrow.DataType
	isMax  bool
	vals   []T
	seen   []bool
	values func(arrow.Array) ([]T, bool)
	less   func(a, b T) bool
	stringKeeper[T]
}

func newMinMax(t types.Type, isMax bool) (accumulator, error) {
	dt := t.Arrow()
	switch t.ID {
	case types.Int32, types.Date:
		return &minMax[int32]{dt: dt, isMax: isMax, values: int32Of, less: cmp.Less[int32]}, nil
	case types.Int64, types.Timestamp:
		return &minMax[int64]{dt: dt, isMax: isMax, values: int64Of, less: cmp.Less[int64]}, nil
	case types.Float32:
		return &minMax[float32]{dt: dt, isMax: isMax, values: float32Of, less: floatLess[float32]}, nil
	case types.Float64:
		return &minMax[float64]{dt: dt, isMax: isMax, values: float64Of, less: floatLess[float64]}, nil
	case types.Decimal:
		return &minMax[decimal128.Num]{dt: dt, isMax: isMax, values: decimalOf, less: decimal128.Num.Less}, nil
	case types.String:
		return &minMax[string]{dt: dt, isMax: isMax, values: stringsOf, less: cmp.Less[string], stringKeeper: stringKeeper[string]{on: true}}, nil
	case types.Bool:
		return &minMax[bool]{dt: dt, isMax: isMax, values: boolsOf, less: func(a, b bool) bool { return !a && b }}, nil
	}
	return nil, fmt.Errorf("min/max: unsupported type %s", t)
}

func (m *minMax[T]) grow(n int) { m.vals, m.seen = growSlice(m.vals, n), growBools(m.seen, n) }

func (m *minMax[T]) update(gids []int32, arg arrow.Array) error {
	vals, ok := m.values(arg)
	if !ok {
		return fmt.Errorf("min/max: unexpected input %s", arg.DataType())
	}
	hasNulls := arg.NullN() > 0
	for i, g := range gids {
		if hasNulls && arg.IsNull(i) {
			continue
		}
		v := vals[i]
		if !m.seen[g] || (m.isMax && m.less(m.vals[g], v)) || (!m.isMax && m.less(v, m.vals[g])) {
			m.vals[g] = m.keep(m.vals[g], v)
			m.seen[g] = true
		}
	}
	return nil
}

func (m *minMax[T]) merge(gids []int32, states []arrow.Array) error {
	return m.update(gids, states[0])
}

func (m *minMax[T]) partial() []arrow.Array { return []arrow.Array{buildFixed(m.dt, m.vals, m.seen)} }

func (m *minMax[T]) final() (arrow.Array, error) { return m.partial()[0], nil }

func int32Of(a arrow.Array) ([]int32, bool) {
	switch a := a.(type) {
	case *array.Int32:
		return a.Int32Values(), true
	case *array.Date32:
		return convert(a.Date32Values(), func(v arrow.Date32) int32 { return int32(v) }), true
	}
	return nil, false
}

func int64Of(a arrow.Array) ([]int64, bool) {
	switch a := a.(type) {
	case *array.Int64:
		return a.Int64Values(), true
	case *array.Timestamp:
		return convert(a.TimestampValues(), func(v arrow.Timestamp) int64 { return int64(v) }), true
	}
	return nil, false
}

func float32Of(a arrow.Array) ([]float32, bool) {
	f, ok := a.(*array.Float32)
	if !ok {
		return nil, false
	}
	return f.Float32Values(), true
}

func float64Of(a arrow.Array) ([]float64, bool) {
	f, ok := a.(*array.Float64)
	if !ok {
		return nil, false
	}
	return f.Float64Values(), true
}

func decimalOf(a arrow.Array) ([]decimal128.Num, bool) {
	d, ok := a.(*array.Decimal128)
	if !ok {
		return nil, false
	}
	return d.Values(), true
}

func stringsOf(a arrow.Array) ([]string, bool) {
	switch a.(type) {
	case *array.String, *array.Dictionary:
	default:
		return nil, false
	}
	out := make([]string, a.Len())
	for i := range out {
		if a.IsValid(i) {
			out[i] = stringAt(a, i)
		}
	}
	return out, true
}

func boolsOf(a arrow.Array) ([]bool, bool) {
	b, ok := a.(*array.Boolean)
	if !ok {
		return nil, false
	}
	out := make([]bool, b.Len())
	for i := range out {
		out[i] = b.Value(i)
	}
	return out, true
}

// floatLess orders NaN above every number, like the evaluator.
func floatLess[F ~float32 | ~float64](a, b F) bool { return types.CompareFloat(a, b) < 0 }
