package operator

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// winBuf is the window operator's view of the rows it holds: rows
// [base, base+n) in absolute stream positions (row 0 is the first row the
// task read), as plain columns (order keys, then function arguments) with
// two flags per row. Rows [from, to) are the ones
// being evaluated; for them the operator fills in where each row's
// partition and peer group start and end (end -1: not yet known) and the
// ordinal of its peer group within the partition.
type winBuf struct {
	base    int64
	n       int
	cols    []arrow.Array
	newPart []bool // the row starts a partition
	newPeer []bool // the row starts a peer group (implied by newPart)

	from, to  int64
	partStart []int64
	partEnd   []int64
	peerStart []int64
	peerEnd   []int64
	group     []int64
}

// idx turns an absolute row into an index into the columns.
func (b *winBuf) idx(abs int64) int { return int(abs - b.base) }

func (b *winBuf) end() int64 { return b.base + int64(b.n) }

// rows is the number of rows being evaluated.
func (b *winBuf) rows() int { return int(b.to - b.from) }

func (b *winBuf) release() {
	releaseAll(b.cols)
	b.cols = nil
}

// rowTracker carries partition and peer-group positions across
// evaluations, since a partition's first rows may have left the buffer.
type rowTracker struct {
	partStart, peerStart, group int64
	// nextPart and nextPeer only move forward: the first partition (peer
	// group) start after the row last given its ends, or where the scan
	// for it stopped at the end of the buffer.
	nextPart, nextPeer int64
}

// context fills the per-row positions of rows [from, to); final says the
// buffer ends where the input ended, so the last groups' ends are known.
func (t *rowTracker) context(b *winBuf, from, to int64, final bool) {
	n := int(to - from)
	b.from, b.to = from, to
	b.partStart, b.partEnd = resize(b.partStart, n), resize(b.partEnd, n)
	b.peerStart, b.peerEnd = resize(b.peerStart, n), resize(b.peerEnd, n)
	b.group = resize(b.group, n)
	for r := range n {
		i := from + int64(r)
		switch {
		case b.newPart[b.idx(i)]:
			t.partStart, t.peerStart, t.group = i, i, 0
		case b.newPeer[b.idx(i)]:
			t.peerStart = i
			t.group++
		}
		b.partStart[r], b.peerStart[r], b.group[r] = t.partStart, t.peerStart, t.group
	}
	for r := range n {
		i := from + int64(r)
		b.partEnd[r] = nextStart(b, &t.nextPart, i, b.newPart, final)
		b.peerEnd[r] = nextStart(b, &t.nextPeer, i, b.newPeer, final)
	}
}

// nextStart advances *ptr to the first flagged row after i and returns
// it: the end of row i's group, or -1 when the buffer ends first and more
// input may follow (the buffer's end when none will).
func nextStart(b *winBuf, ptr *int64, i int64, flags []bool, final bool) int64 {
	*ptr = max(*ptr, i+1)
	for *ptr < b.end() && !flags[b.idx(*ptr)] {
		*ptr++
	}
	if *ptr < b.end() || final {
		return *ptr
	}
	return -1
}

func resize[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}

// sliceCols slices every column to rows [from, to) of the buffer.
func sliceCols(cols []arrow.Array, from, to int) []arrow.Array {
	out := make([]arrow.Array, len(cols))
	for i, c := range cols {
		out[i] = array.NewSlice(c, int64(from), int64(to))
	}
	return out
}

// wrapFixed makes an array of int64 or float64 values without copying
// them (the window operator builds each result column once, so there is
// nothing to reuse). valid nil means no NULLs.
func wrapFixed[T int64 | float64](dt arrow.DataType, vals []T, valid []bool) arrow.Array {
	var data []byte
	switch v := any(vals).(type) {
	case []int64:
		data = arrow.Int64Traits.CastToBytes(v)
	case []float64:
		data = arrow.Float64Traits.CastToBytes(v)
	}
	var bitmap *memory.Buffer
	nulls := 0
	if valid != nil {
		bits := make([]byte, bitutil.BytesForBits(int64(len(valid))))
		for i, ok := range valid {
			if ok {
				bitutil.SetBit(bits, i)
			} else {
				nulls++
			}
		}
		if nulls > 0 {
			bitmap = memory.NewBufferBytes(bits)
		}
	}
	d := array.NewData(dt, len(vals), []*memory.Buffer{bitmap, memory.NewBufferBytes(data)}, nil, nulls, 0)
	defer d.Release()
	return array.MakeFromData(d)
}
