package operator

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// Value functions (lag, lead, first/last/nth_value) pick, for each row, a
// source: another row's value, the row's default, NULL, or a value pinned
// earlier (first/nth_value over frames from UNBOUNDED PRECEDING keep their
// answer for the rest of the partition, so its row may leave the buffer).
// The values are then gathered in one take.
const (
	srcNull    int64 = -1
	srcDefault int64 = -2
	srcPinned  int64 = -3
)

// gatherValues takes, per row being evaluated, the source srcs[r] picks.
func gatherValues(b *winBuf, col, defCol int, pin arrow.Array, srcs []int64) (arrow.Array, error) {
	parts := []arrow.Array{b.cols[col]}
	defAt, pinAt := -1, -1
	size := b.n
	if defCol >= 0 {
		parts, defAt = append(parts, b.cols[defCol]), size
		size += b.n
	}
	if pin != nil {
		parts, pinAt = append(parts, pin), size
	}
	ib := array.NewInt32Builder(mem)
	defer ib.Release()
	ib.Reserve(len(srcs))
	for r, s := range srcs {
		switch {
		case s >= 0:
			if s < b.base || s >= b.end() {
				return nil, fmt.Errorf("window: internal error: row %d left the buffer [%d, %d)", s, b.base, b.end())
			}
			ib.UnsafeAppend(int32(b.idx(s)))
		case s == srcDefault && defAt >= 0:
			ib.UnsafeAppend(int32(defAt + b.idx(b.from+int64(r))))
		case s == srcPinned && pinAt >= 0:
			ib.UnsafeAppend(int32(pinAt))
		default:
			ib.AppendNull()
		}
	}
	idx := ib.NewArray()
	defer idx.Release()
	values := parts[0]
	if len(parts) > 1 {
		cat, err := array.Concatenate(parts, mem)
		if err != nil {
			return nil, err
		}
		defer cat.Release()
		values = cat
	}
	return takeWithNulls(values, idx)
}

// lagLeadFunc reads the value offset rows before (lag) or after (lead)
// each row, or the offset-th non-NULL one with IGNORE NULLS.
type lagLeadFunc struct {
	lead   bool
	off    int64
	ignore bool
	col    int
	defCol int
	next   int64
	recent []int64 // IGNORE NULLS: lag's last off non-NULL rows, lead's next ones, oldest first
	scan   int64   // lead IGNORE NULLS: rows before this were scanned
}

func (f *lagLeadFunc) need() int64 {
	if f.lead {
		return noNeed
	}
	if f.ignore {
		if len(f.recent) > 0 {
			return f.recent[0]
		}
		return noNeed
	}
	return f.next - f.off
}

func (f *lagLeadFunc) eval(b *winBuf) (arrow.Array, error) {
	srcs := make([]int64, b.rows())
	f.next = b.to
	switch {
	case f.ignore && f.lead:
		f.leadIgnoringNulls(b, srcs)
	case f.ignore:
		f.lagIgnoringNulls(b, srcs)
	default:
		for r := range srcs {
			i := b.from + int64(r)
			s := i - f.off
			if f.lead {
				s = i + f.off
			}
			if s < b.partStart[r] || (f.lead && s >= partEnd(b, r)) {
				s = srcDefault
			}
			srcs[r] = s
		}
	}
	return gatherValues(b, f.col, f.defCol, nil, srcs)
}

func (f *lagLeadFunc) lagIgnoringNulls(b *winBuf, srcs []int64) {
	vals := b.cols[f.col]
	for r := range srcs {
		i := b.from + int64(r)
		if b.partStart[r] == i {
			f.recent = f.recent[:0]
		}
		switch {
		case f.off == 0:
			srcs[r] = i
		case int64(len(f.recent)) >= f.off:
			srcs[r] = f.recent[int64(len(f.recent))-f.off]
		default:
			srcs[r] = srcDefault
		}
		if f.off > 0 && vals.IsValid(b.idx(i)) {
			f.recent = append(f.recent, i)
			if int64(len(f.recent)) > f.off {
				f.recent = f.recent[1:]
			}
		}
	}
}

// leadIgnoringNulls keeps the non-NULL rows after the current one, up to
// off of them, scanning forward to the partition's end (lead IGNORE NULLS
// runs on whole partitions, so the end is known and in the buffer).
func (f *lagLeadFunc) leadIgnoringNulls(b *winBuf, srcs []int64) {
	vals := b.cols[f.col]
	for r := range srcs {
		i := b.from + int64(r)
		if b.partStart[r] == i {
			f.recent, f.scan = f.recent[:0], i+1
		}
		if f.off == 0 {
			srcs[r] = i
			continue
		}
		for len(f.recent) > 0 && f.recent[0] <= i {
			f.recent = f.recent[1:]
		}
		f.scan = max(f.scan, i+1)
		for ; int64(len(f.recent)) < f.off && f.scan < b.partEnd[r]; f.scan++ {
			if vals.IsValid(b.idx(f.scan)) {
				f.recent = append(f.recent, f.scan)
			}
		}
		srcs[r] = srcDefault
		if int64(len(f.recent)) >= f.off {
			srcs[r] = f.recent[f.off-1]
		}
	}
}
