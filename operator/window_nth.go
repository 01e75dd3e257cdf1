package operator

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/plan/logical"
)

// frameValueFunc is first_value, last_value or nth_value over a frame.
// IGNORE NULLS is kept with pointers that only move forward: the first
// non-NULL row at or after lo, the last non-NULL row before hi, and the
// non-NULL rows inside [lo, hi) for nth_value.
type frameValueFunc struct {
	kind   logical.WindowKind
	n      int64
	ignore bool
	col    int
	cur    *frameCursor
	// fixed: the frame starts at the partition start, so once found the
	// first (nth) value stays the answer; it is pinned, not kept in place.
	fixed bool

	partStart   int64
	lastLo      int64
	lastHi      int64
	firstPtr    int64   // first_value IGNORE NULLS
	scanPtr     int64   // last_value IGNORE NULLS: rows below were seen
	lastNonNull int64   // ... and the last non-NULL of them (-1: none)
	nonNull     []int64 // nth_value IGNORE NULLS: non-NULL rows in the frame
	nonNullUpTo int64
	pinned      bool
	pinAt       int64
	pin         arrow.Array // pinAt's value, once it may leave the buffer
}

func (f *frameValueFunc) reset(start int64) {
	f.cur.reset(start)
	f.partStart, f.lastLo, f.lastHi = start, start, start
	f.firstPtr, f.scanPtr, f.lastNonNull, f.nonNullUpTo = start, start, -1, start
	f.nonNull = f.nonNull[:0]
	f.pinned = false
}

func (f *frameValueFunc) need() int64 {
	n := f.cur.need()
	switch {
	case f.pinned:
		return n
	case f.kind == logical.WinLastValue && f.ignore:
		if f.lastNonNull >= 0 {
			n = min(n, f.lastNonNull)
		}
		return min(n, f.scanPtr)
	case f.kind == logical.WinLastValue:
		return min(n, f.lastHi-1)
	case f.kind == logical.WinNthValue && f.ignore:
		if len(f.nonNull) > 0 {
			n = min(n, f.nonNull[0])
		}
		return min(n, f.nonNullUpTo, f.lastLo)
	case f.kind == logical.WinFirstValue && f.ignore:
		return min(n, f.firstPtr, f.lastLo)
	}
	return min(n, f.lastLo)
}

func (f *frameValueFunc) eval(b *winBuf) (arrow.Array, error) {
	f.cur.load(b)
	vals := b.cols[f.col]
	srcs := make([]int64, b.rows())
	carried := f.pin // the pinned value of the partition running into this batch
	f.pin = nil
	resetSeen := false
	for r := range srcs {
		i := b.from + int64(r)
		if b.partStart[r] == i {
			f.reset(i)
			resetSeen = true
		}
		if f.pinned {
			srcs[r] = f.pinAt
			if f.pinAt < b.base {
				srcs[r] = srcPinned
			}
			continue
		}
		lo, hi := f.cur.bounds(b, i, r)
		f.lastLo, f.lastHi = lo, hi
		s := f.pick(b, vals, lo, hi)
		srcs[r] = s
		if f.fixed && s >= 0 && f.kind != logical.WinLastValue {
			f.pinned, f.pinAt = true, s
		}
	}
	out, err := gatherValues(b, f.col, -1, carried, srcs)
	if err != nil {
		if carried != nil {
			carried.Release()
		}
		return nil, err
	}
	if f.pinned {
		if !resetSeen && carried != nil {
			f.pin, carried = carried, nil
		} else if f.pin, err = copyRow(b.cols[f.col], b.idx(f.pinAt)); err != nil {
			return nil, err
		}
	}
	if carried != nil {
		carried.Release()
	}
	return out, err
}

// copyRow copies one value out of a column, so the column can go.
func copyRow(col arrow.Array, j int) (arrow.Array, error) {
	sl := array.NewSlice(col, int64(j), int64(j+1))
	defer sl.Release()
	return array.Concatenate([]arrow.Array{sl}, mem)
}

func (f *frameValueFunc) pick(b *winBuf, vals arrow.Array, lo, hi int64) int64 {
	if lo >= hi && !(f.kind == logical.WinLastValue && f.ignore) {
		return srcNull
	}
	switch f.kind {
	case logical.WinFirstValue:
		if !f.ignore {
			return lo
		}
		f.firstPtr = max(f.firstPtr, lo)
		for f.firstPtr < hi && vals.IsNull(b.idx(f.firstPtr)) {
			f.firstPtr++
		}
		if f.firstPtr < hi {
			return f.firstPtr
		}
	case logical.WinLastValue:
		if !f.ignore {
			return hi - 1
		}
		for ; f.scanPtr < hi; f.scanPtr++ {
			if vals.IsValid(b.idx(f.scanPtr)) {
				f.lastNonNull = f.scanPtr
			}
		}
		if lo < hi && f.lastNonNull >= lo {
			return f.lastNonNull
		}
	case logical.WinNthValue:
		if !f.ignore {
			if lo+f.n-1 < hi {
				return lo + f.n - 1
			}
			return srcNull
		}
		for ; f.nonNullUpTo < hi; f.nonNullUpTo++ {
			if vals.IsValid(b.idx(f.nonNullUpTo)) {
				f.nonNull = append(f.nonNull, f.nonNullUpTo)
			}
		}
		drop := 0
		for drop < len(f.nonNull) && f.nonNull[drop] < lo {
			drop++
		}
		f.nonNull = f.nonNull[drop:]
		if int64(len(f.nonNull)) >= f.n {
			return f.nonNull[f.n-1]
		}
	}
	return srcNull
}
