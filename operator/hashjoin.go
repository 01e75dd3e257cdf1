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
// table over the build side: usually all of a probe batch's pairs in one
// chunk (see maxHashPairs). NULL keys never match, except in the keys
// marked null-safe, where NULL matches NULL.
type hashMatcher struct {
	probeKeys, buildKeys []*eval.Evaluator
	nullSafe             []bool // per key; nil when none is
	table                *joinTable
	enc                  keys.Keys
	pi, bi               []int32

	// The probe batch being matched: its key columns, and the next row.
	kc        []arrow.Array
	n, cursor int
	ints      bool // single integer key: vals and col, else enc and skip
	vals      []int64
	col       arrow.Array
	skip      []bool
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
	releaseAll(m.kc)
	m.kc = nil
	kc, err := evalAll(ctx, m.probeKeys, rec)
	if err != nil {
		return err
	}
	m.kc, m.n, m.cursor = kc, int(rec.NumRows()), 0
	m.vals, m.col, m.ints = nil, nil, false
	if vals, col, ok := intKeys(kc); ok && m.table.intHeads != nil {
		m.vals, m.col, m.ints = vals, col, true
		return nil
	}
	if err := m.enc.Encode(kc, m.n); err != nil {
		return err
	}
	m.skip = m.nullRows(kc, m.enc.AnyNull)
	return nil
}

// next returns the pairs of the next run of probe rows: all of them unless
// they pair up with more than maxHashPairs build rows (a key shared by
// many rows on both sides), so output batches stay bounded.
func (m *hashMatcher) next([]bool) ([]int32, []int32, bool) {
	if m.cursor >= m.n {
		return nil, nil, false
	}
	m.pi, m.bi = m.pi[:0], m.bi[:0]
	if m.ints {
		m.matchInts()
	} else {
		m.matchEncoded()
	}
	return m.pi, m.bi, true
}

// maxHashPairs bounds a hash join's chunk, far above a probe batch's pairs
// in a key join, so the usual batch is one chunk.
const maxHashPairs = 4 * DefaultBatchRows

func (m *hashMatcher) matchInts() {
	pi, bi := m.pi, m.bi
	hasNulls := m.col.NullN() > 0
	i := m.cursor
	for ; i < m.n && len(pi) < maxHashPairs; i++ {
		if hasNulls && m.col.IsNull(i) {
			continue
		}
		h, ok := m.table.intHeads[m.vals[i]]
		for b := h; ok && b >= 0; b = m.table.next[b] {
			pi, bi = append(pi, int32(i)), append(bi, b)
		}
	}
	m.cursor, m.pi, m.bi = i, pi, bi
}

func (m *hashMatcher) matchEncoded() {
	pi, bi := m.pi, m.bi
	i := m.cursor
	for ; i < m.n && len(pi) < maxHashPairs; i++ {
		if m.skip[i] {
			continue
		}
		for b := m.table.first(m.enc.Row(i)); b >= 0; b = m.table.next[b] {
			pi, bi = append(pi, int32(i)), append(bi, b)
		}
	}
	m.cursor, m.pi, m.bi = i, pi, bi
}

func (m *hashMatcher) close() {
	releaseAll(m.kc)
	m.kc = nil
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
