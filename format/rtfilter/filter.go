package rtfilter

import (
	"sync"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
)

// Filter is one join's runtime filter: a Set and what using it has
// done. Safe for concurrent use (a scan's decode workers share it).
type Filter struct {
	set              *Set
	checked, dropped atomic.Int64
	off              atomic.Bool
	count            *atomic.Int64 // also counts the rows dropped (nil: no)
}

// NewFilter uses s; the rows it drops are also added to count, if set
// (a task's metrics).
func NewFilter(s *Set, count *atomic.Int64) *Filter { return &Filter{set: s, count: count} }

// sampleRows is how many rows a filter checks before it judges itself,
// and offRatio the share of them passing above which it switches off:
// checking a row costs little, but not nothing, and a filter that drops
// few rows saves less than it costs (DuckDB and Spark judge alike).
const (
	sampleRows = 100_000
	offRatio   = 0.9
)

// Select returns the rows among sel (nil: all of cols' rows) whose keys
// may have a match, in order; ok is false when the filter does not apply
// (switched off, or columns it cannot read), and then every row is kept.
func (f *Filter) Select(cols []arrow.Array, sel []int32) (_ []int32, ok bool) {
	if f == nil || f.off.Load() || len(cols) == 0 || !f.set.reads(cols) {
		return nil, false
	}
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	rows := sel
	if rows == nil {
		rows = sc.all(cols[0].Len())
	}
	if len(rows) == 0 {
		return []int32{}, true
	}
	drop, hs := sc.size(len(rows))
	if !f.set.drop(cols, rows, drop, hs) {
		return nil, false
	}
	out := make([]int32, 0, len(rows))
	for j, r := range rows {
		if !drop[j] {
			out = append(out, r)
		}
	}
	f.judge(int64(len(rows)), int64(len(rows)-len(out)))
	return out, true
}

// judge counts a batch's rows and switches the filter off once it is
// seen to pass most of them.
func (f *Filter) judge(rows, dropped int64) {
	checked := f.checked.Add(rows)
	d := f.dropped.Add(dropped)
	if f.count != nil {
		f.count.Add(dropped)
	}
	if checked >= sampleRows && float64(checked-d) > offRatio*float64(checked) {
		f.off.Store(true)
	}
}

// Dropped is the rows the filter dropped so far.
func (f *Filter) Dropped() int64 {
	if f == nil {
		return 0
	}
	return f.dropped.Load()
}

// Off says whether the filter switched itself off.
func (f *Filter) Off() bool { return f != nil && f.off.Load() }

// scratch is Select's working memory, reused between batches.
type scratch struct {
	rows []int32
	drop []bool
	hs   []uint64
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// all is the rows 0..n-1.
func (sc *scratch) all(n int) []int32 {
	if cap(sc.rows) < n {
		sc.rows = make([]int32, n)
		for i := range sc.rows {
			sc.rows[i] = int32(i)
		}
	}
	return sc.rows[:n]
}

// size is drop (cleared) and hs for n rows.
func (sc *scratch) size(n int) ([]bool, []uint64) {
	if cap(sc.drop) < n {
		sc.drop, sc.hs = make([]bool, n), make([]uint64, n)
	}
	drop := sc.drop[:n]
	clear(drop)
	return drop, sc.hs[:n]
}
