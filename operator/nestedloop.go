package operator

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/plan/physical"
)

// nestedLoopMatcher proposes every (probe row, build row) pair, for joins
// without equality keys: the residual filter (evaluated vectorized over
// each chunk) is the whole condition, and a cross join has none. A chunk
// pairs the probe batch with as many build rows as keep it under maxPairs
// pairs, so a cross product streams instead of materializing.
type nestedLoopMatcher struct {
	buildN int
	probeN int
	from   int // the next chunk's first build row
	pi, bi []int32
}

var _ joinMatcher = (*nestedLoopMatcher)(nil)

func (m *nestedLoopMatcher) compile(*physical.JoinSpec, eval.Options) error { return nil }

func (m *nestedLoopMatcher) load(_ context.Context, _ []arrow.Array, n int) error {
	m.buildN = n
	return nil
}

func (m *nestedLoopMatcher) start(_ context.Context, rec arrow.RecordBatch) error {
	m.probeN, m.from = int(rec.NumRows()), 0
	return nil
}

func (m *nestedLoopMatcher) close() {}

// next pairs the probe rows not in skip with the next run of build rows.
func (m *nestedLoopMatcher) next(skip []bool) ([]int32, []int32, bool) {
	if m.from >= m.buildN {
		return nil, nil, false
	}
	var rows []int32
	for i := 0; i < m.probeN; i++ {
		if skip == nil || !skip[i] {
			rows = append(rows, int32(i))
		}
	}
	if len(rows) == 0 {
		m.from = m.buildN
		return nil, nil, false
	}
	to := min(m.buildN, m.from+max(1, maxPairs/len(rows)))
	pi, bi := m.pi[:0], m.bi[:0]
	for _, p := range rows {
		for b := m.from; b < to; b++ {
			pi, bi = append(pi, p), append(bi, int32(b))
		}
	}
	m.from = to
	m.pi, m.bi = pi, bi
	return pi, bi, true
}
