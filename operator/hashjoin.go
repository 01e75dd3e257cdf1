package operator

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/operator/keys"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/task"
)

// hashMatcher proposes the pairs with equal keys, found through a hash
// table over the build side: all of a probe batch's pairs in one chunk.
// NULL keys never match, except in the keys marked null-safe, where NULL
// matches NULL.
type hashMatcher struct {
	probeKeys, buildKeys []*eval.Evaluator
	nullSafe             []bool // per key; nil when none is
	table                *joinTable
	enc                  keys.Keys
	pi, bi               []int32
	ready                bool
}

var _ joinMatcher = (*hashMatcher)(nil)

func (m *hashMatcher) compile(spec *physical.JoinSpec, opts eval.Options) error {
	for i := range spec.LeftKeys {
		l, err := eval.Compile(spec.LeftKeys[i], opts)
		if err != nil {
			return err
		}
		r, err := eval.Compile(spec.RightKeys[i], opts)
		if err != nil {
			return err
		}
		m.probeKeys, m.buildKeys = append(m.probeKeys, l), append(m.buildKeys, r)
	}
	for _, ns := range spec.NullSafe {
		if ns {
			m.nullSafe = spec.NullSafe
		}
	}
	return nil
}

func (m *hashMatcher) load(ctx context.Context, cols []arrow.Array, n int) error {
	whole := array.NewRecordBatch(schemaOf(cols), cols, int64(n))
	defer whole.Release()
	kc, err := evalAll(ctx, m.buildKeys, whole)
	if err != nil {
		return evalFailed(err)
	}
	defer releaseAll(kc)
	t, err := m.index(kc, n)
	if err != nil {
		return task.AsFatal(err)
	}
	m.table = t
	return nil
}

// index builds the table; chains list rows in input order (inserted in
// reverse).
func (m *hashMatcher) index(kc []arrow.Array, n int) (*joinTable, error) {
	t := &joinTable{next: make([]int32, n)}
	if vals, col, ok := intKeys(kc); ok && m.nullSafe == nil {
		t.intHeads = make(map[int64]int32, n)
		for i := n - 1; i >= 0; i-- {
			t.next[i] = -1
			if col.IsNull(i) {
				continue
			}
			if h, ok := t.intHeads[vals[i]]; ok {
				t.next[i] = h
			}
			t.intHeads[vals[i]] = int32(i)
		}
		return t, nil
	}
	var enc keys.Keys
	if err := enc.Encode(kc, n); err != nil {
		return nil, err
	}
	skip := m.nullRows(kc, enc.AnyNull)
	t.heads = make(map[string]int32, n)
	for i := n - 1; i >= 0; i-- {
		t.next[i] = -1
		if skip[i] {
			continue
		}
		k := enc.Row(i)
		if h, ok := t.heads[string(k)]; ok {
			t.next[i] = h
		}
		t.heads[string(k)] = int32(i)
	}
	return t, nil
}

// nullRows marks the rows that cannot match: a NULL in a key that is not
// null-safe. Without null-safe keys that is anyNull itself.
func (m *hashMatcher) nullRows(kc []arrow.Array, anyNull []bool) []bool {
	if m.nullSafe == nil {
		return anyNull
	}
	skip := make([]bool, len(anyNull))
	for c, col := range kc {
		if m.nullSafe[c] || col.NullN() == 0 {
			continue
		}
		for i := range skip {
			skip[i] = skip[i] || col.IsNull(i)
		}
	}
	return skip
}

func (m *hashMatcher) start(ctx context.Context, rec arrow.RecordBatch) error {
	kc, err := evalAll(ctx, m.probeKeys, rec)
	if err != nil {
		return err
	}
	defer releaseAll(kc)
	m.pi, m.bi = m.pi[:0], m.bi[:0]
	m.ready = true
	return m.match(kc, int(rec.NumRows()))
}

func (m *hashMatcher) next([]bool) ([]int32, []int32, bool) {
	if !m.ready {
		return nil, nil, false
	}
	m.ready = false
	return m.pi, m.bi, true
}

// match finds every (probe row, build row) pair with equal keys.
func (m *hashMatcher) match(kc []arrow.Array, n int) error {
	pi, bi := m.pi, m.bi
	if vals, col, ok := intKeys(kc); ok && m.table.intHeads != nil {
		hasNulls := col.NullN() > 0
		for i, v := range vals {
			if hasNulls && col.IsNull(i) {
				continue
			}
			h, ok := m.table.intHeads[v]
			for b := h; ok && b >= 0; b = m.table.next[b] {
				pi, bi = append(pi, int32(i)), append(bi, b)
			}
		}
		m.pi, m.bi = pi, bi
		return nil
	}
	if err := m.enc.Encode(kc, n); err != nil {
		return err
	}
	skip := m.nullRows(kc, m.enc.AnyNull)
	for i := 0; i < n; i++ {
		if skip[i] {
			continue
		}
		for b := m.table.first(m.enc.Row(i)); b >= 0; b = m.table.next[b] {
			pi, bi = append(pi, int32(i)), append(bi, b)
		}
	}
	m.pi, m.bi = pi, bi
	return nil
}

// joinTable indexes the build side: chains of row indexes per key (heads
// in a map, links in next).
type joinTable struct {
	heads    map[string]int32
	intHeads map[int64]int32 // single integer key fast path
	next     []int32
}

func (t *joinTable) first(key []byte) int32 {
	if h, ok := t.heads[string(key)]; ok {
		return h
	}
	return -1
}
