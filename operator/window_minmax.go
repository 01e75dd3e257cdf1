package operator

import (
	"cmp"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/types"
)

// minMaxSlider keeps min or max over a sliding frame with a monotonic
// deque: each row enters once and leaves once, so a row costs amortized
// O(1) however wide the frame. Entries hold their values, so rows that
// left the buffer are never read again.
type minMaxSlider[T any] struct {
	dt     arrow.DataType
	isMax  bool
	values func(arrow.Array) ([]T, bool)
	less   func(a, b T) bool
	col    arrow.Array
	vals   []T
	dq     []dqEntry[T]
	seq    int64 // entries count rows in arrival order
	head   int64 // sequence number of the next row to leave
	out    []T
	valid  []bool
}

type dqEntry[T any] struct {
	v   T
	seq int64
}

func newMinMaxSlider(t types.Type, isMax bool) (slider, bool) {
	dt := t.Arrow()
	switch t.ID {
	case types.Int32, types.Date:
		return &minMaxSlider[int32]{dt: dt, isMax: isMax, values: int32Of, less: cmp.Less[int32]}, true
	case types.Int64, types.Timestamp:
		return &minMaxSlider[int64]{dt: dt, isMax: isMax, values: int64Of, less: cmp.Less[int64]}, true
	case types.Float32:
		return &minMaxSlider[float32]{dt: dt, isMax: isMax, values: float32Of, less: floatLess[float32]}, true
	case types.Float64:
		return &minMaxSlider[float64]{dt: dt, isMax: isMax, values: float64Of, less: floatLess[float64]}, true
	case types.Decimal:
		return &minMaxSlider[decimal128.Num]{dt: dt, isMax: isMax, values: decimalOf, less: decimal128.Num.Less}, true
	case types.String:
		return &minMaxSlider[string]{dt: dt, isMax: isMax, values: stringsOf, less: cmp.Less[string]}, true
	case types.Bool:
		return &minMaxSlider[bool]{dt: dt, isMax: isMax, values: boolsOf, less: func(a, b bool) bool { return !a && b }}, true
	}
	return nil, false
}

func (m *minMaxSlider[T]) load(col arrow.Array, _ int) error {
	vals, ok := m.values(col)
	if !ok {
		return fmt.Errorf("min/max: unexpected input %s", col.DataType())
	}
	m.col, m.vals = col, vals
	return nil
}

func (m *minMaxSlider[T]) reset() { m.dq, m.seq, m.head = m.dq[:0], 0, 0 }

// better reports whether a should be the answer over b.
func (m *minMaxSlider[T]) better(a, b T) bool {
	if m.isMax {
		return m.less(b, a)
	}
	return m.less(a, b)
}

func (m *minMaxSlider[T]) add(j int) error {
	seq := m.seq
	m.seq++
	if m.col.IsNull(j) {
		return nil
	}
	v := m.vals[j]
	for len(m.dq) > 0 && !m.better(m.dq[len(m.dq)-1].v, v) {
		m.dq = m.dq[:len(m.dq)-1]
	}
	m.dq = append(m.dq, dqEntry[T]{v: v, seq: seq})
	return nil
}

func (m *minMaxSlider[T]) remove(int) {
	if len(m.dq) > 0 && m.dq[0].seq == m.head {
		m.dq = m.dq[1:]
	}
	m.head++
}

func (m *minMaxSlider[T]) emit() {
	var v T
	ok := len(m.dq) > 0
	if ok {
		v = m.dq[0].v
	}
	m.out, m.valid = append(m.out, v), append(m.valid, ok)
}

func (m *minMaxSlider[T]) finish() arrow.Array {
	out := buildFixed(m.dt, m.out, m.valid)
	clear(m.out) // drop string references
	m.out, m.valid = m.out[:0], m.valid[:0]
	return out
}
