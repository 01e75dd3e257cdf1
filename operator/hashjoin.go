package operator

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/expr/eval"
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
	pi, bi               []int32

	// The probe batch being matched: its key columns, their layout for
	// the table, each row's key number in it (-1: no build row can
	// match), and the next row.
	kc        []arrow.Array
	kb        keyBatch
	ids       []int32
	n, cursor int
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

// index builds the table: the build keys numbered in a keyTable, and per
// key a chain of its rows in input order (linked in reverse).
func (m *hashMatcher) index(kc []arrow.Array, n int) (*joinTable, error) {
	var kb keyBatch
	kind := kindOf(kc, m.nullSafe == nil)
	if err := kb.prepare(kc, n, kind); err != nil {
		return nil, err
	}
	t := &joinTable{next: make([]int32, n)}
	t.keys.init(kind, n/8) // grows as needed: n rows may have few keys
	ids := make([]int32, n)
	if err := t.keys.insert(&kb, ids); err != nil {
		return nil, err
	}
	skip := m.nullRows(kc, &kb)
	if t.keys.len() == n && skip == nil {
		// Every row its own key (a primary key): key number = row, no
		// chains to follow.
		t.unique, t.next = true, nil
		return t, nil
	}
	t.heads = make([]int32, t.keys.len())
	for i := range t.heads {
		t.heads[i] = -1
	}
	for i := n - 1; i >= 0; i-- {
		if skip != nil && skip[i] {
			t.next[i] = -1
			continue
		}
		id := ids[i]
		t.next[i] = t.heads[id]
		t.heads[id] = int32(i)
	}
	return t, nil
}

// nullRows marks the rows that cannot match: a NULL in a key that is not
// null-safe (nil when no row has one).
func (m *hashMatcher) nullRows(kc []arrow.Array, kb *keyBatch) []bool {
	var skip []bool
	for c, col := range kc {
		if (m.nullSafe != nil && m.nullSafe[c]) || col.NullN() == 0 {
			continue
		}
		if skip == nil {
			skip = make([]bool, kb.n)
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
	if err := m.kb.prepare(kc, m.n, kindOf(kc, m.nullSafe == nil)); err != nil {
		return err
	}
	if cap(m.ids) < m.n {
		m.ids = make([]int32, m.n)
	}
	m.ids = m.ids[:m.n]
	return m.table.keys.find(&m.kb, m.nullRows(kc, &m.kb), m.ids)
}

// next returns the pairs of the next run of probe rows: all of them unless
// they pair up with more than maxHashPairs build rows (a key shared by
// many rows on both sides), so output batches stay bounded.
func (m *hashMatcher) next([]bool) ([]int32, []int32, bool) {
	if m.cursor >= m.n {
		return nil, nil, false
	}
	pi, bi := m.pi[:0], m.bi[:0]
	if m.table.unique { // one build row per key: at most one pair per probe row
		for i, id := range m.ids {
			if id >= 0 {
				pi, bi = append(pi, int32(i)), append(bi, id)
			}
		}
		m.cursor, m.pi, m.bi = m.n, pi, bi
		return pi, bi, true
	}
	heads, next := m.table.heads, m.table.next
	i := m.cursor
	for ; i < m.n && len(pi) < maxHashPairs; i++ {
		id := m.ids[i]
		if id < 0 {
			continue
		}
		for b := heads[id]; b >= 0; b = next[b] {
			pi, bi = append(pi, int32(i)), append(bi, b)
		}
	}
	m.cursor, m.pi, m.bi = i, pi, bi
	return pi, bi, true
}

// maxHashPairs bounds a hash join's chunk, far above a probe batch's pairs
// in a key join, so the usual batch is one chunk.
const maxHashPairs = 4 * DefaultBatchRows

func (m *hashMatcher) close() {
	releaseAll(m.kc)
	m.kc = nil
}

// joinTable indexes the build side: its keys numbered in a keyTable, and
// per key number the first of its rows, whose next rows are linked in next
// (-1 ends a chain), unless every row has its own key. It is read-only once built (broadcast tables are
// shared by the tasks of a process).
type joinTable struct {
	keys  keyTable
	heads []int32
	next  []int32
	// unique: every build row has a key of its own, numbered as the row
	// (heads and next are left empty).
	unique bool
}

// bytes is the table's memory.
func (t *joinTable) bytes() int64 {
	return t.keys.bytes() + 4*int64(len(t.heads)+len(t.next))
}
