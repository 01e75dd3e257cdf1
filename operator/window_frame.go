package operator

import (
	"math"

	"github.com/drover-etl/drover/plan/logical"
)

// frameCursor turns a frame clause into [lo, hi) row ranges, row after
// row. Both ends only move forward within a partition (the input is
// sorted), so RANGE and GROUPS offsets are found by advancing pointers,
// never by searching back.
type frameCursor struct {
	fr       logical.WindowFrame
	keys     [2]rangeKeys // RANGE offsets: the order key, for the start and the end bound
	keyCol   int
	startPtr int64
	endPtr   int64
	startG   int64 // GROUPS: peer group ordinals of the pointers
	endG     int64
}

func newFrameCursor(fr logical.WindowFrame, order []logical.SortKey, keyCol int) (*frameCursor, error) {
	c := &frameCursor{fr: fr, keyCol: keyCol}
	if fr.Unit != logical.FrameRange {
		return c, nil
	}
	for i, bd := range []logical.FrameBound{fr.Start, fr.End} {
		if !hasOffset(bd) {
			continue
		}
		k, err := newRangeKeys(order[0], bd.Offset)
		if err != nil {
			return nil, err
		}
		c.keys[i] = k
	}
	return c, nil
}

func hasOffset(b logical.FrameBound) bool {
	return b.Kind == logical.Preceding || b.Kind == logical.Following
}

func (c *frameCursor) load(b *winBuf) {
	for _, k := range c.keys {
		if k != nil {
			k.load(b.cols[c.keyCol])
		}
	}
}

func (c *frameCursor) reset(start int64) {
	c.startPtr, c.endPtr, c.startG, c.endG = start, start, 0, 0
}

// need is the lowest row the pointers will read.
func (c *frameCursor) need() int64 {
	if c.keys[0] == nil && c.keys[1] == nil && c.fr.Unit != logical.FrameGroups {
		return noNeed
	}
	return min(c.startPtr, c.endPtr)
}

// bounds returns row i's frame (r is its index among the rows being
// evaluated); lo <= hi, an empty frame has lo == hi.
func (c *frameCursor) bounds(b *winBuf, i int64, r int) (lo, hi int64) {
	lo = c.bound(b, i, r, c.fr.Start, false)
	hi = c.bound(b, i, r, c.fr.End, true)
	return lo, max(lo, hi)
}

func (c *frameCursor) bound(b *winBuf, i int64, r int, bd logical.FrameBound, end bool) int64 {
	ps, pe := b.partStart[r], b.partEnd[r]
	switch bd.Kind {
	case logical.UnboundedPreceding:
		return ps
	case logical.UnboundedFollowing:
		return pe
	case logical.CurrentRow:
		switch {
		case c.fr.Unit == logical.FrameRows && end:
			return i + 1
		case c.fr.Unit == logical.FrameRows:
			return i
		case end:
			return b.peerEnd[r]
		}
		return b.peerStart[r]
	}
	switch c.fr.Unit {
	case logical.FrameRows:
		return rowsBound(i, ps, pe, bd, end)
	case logical.FrameGroups:
		return c.groupsBound(b, r, bd, end)
	}
	return c.rangeBound(b, i, r, bd, end)
}

// rowsBound is a ROWS offset bound, clamped to the partition (pe -1: the
// partition runs past the rows a FOLLOWING bound can reach).
func rowsBound(i, ps, pe int64, bd logical.FrameBound, end bool) int64 {
	pos := i - bd.Offset.I
	if bd.Kind == logical.Following {
		pos = i + min(bd.Offset.I, math.MaxInt64/2)
	}
	if end {
		pos++
	}
	if pos < ps {
		return ps
	}
	if bd.Kind == logical.Following && pe >= 0 && pos > pe {
		return pe
	}
	return pos
}

// partEnd is row r's partition end, or the largest position when the
// partition runs past the buffer (functions reading a bounded number of
// rows ahead are only evaluated where those rows are in it).
func partEnd(b *winBuf, r int) int64 {
	if pe := b.partEnd[r]; pe >= 0 {
		return pe
	}
	return math.MaxInt64
}

// groupsBound moves a pointer to the start of peer group g±n (its end
// being the next group's start).
func (c *frameCursor) groupsBound(b *winBuf, r int, bd logical.FrameBound, end bool) int64 {
	off := min(bd.Offset.I, math.MaxInt64/4) // no overflow below
	if bd.Kind == logical.Preceding {
		off = -off
	}
	target := b.group[r] + off
	if end {
		target++
	}
	if target <= 0 {
		return b.partStart[r]
	}
	limit := b.peerEnd[r]
	if bd.Kind == logical.Following {
		limit = b.partEnd[r]
	}
	ptr, g := &c.startPtr, &c.startG
	if end {
		ptr, g = &c.endPtr, &c.endG
	}
	for *g < target && *ptr < limit {
		*ptr = *ptr + 1
		for *ptr < limit && !b.newPeer[b.idx(*ptr)] {
			*ptr = *ptr + 1
		}
		*g = *g + 1
	}
	return *ptr
}

// rangeBound finds the first row whose key is not before (start) or is
// after (end) the current key shifted by the offset. A row with a NULL key
// has its peer group (the NULLs) as both bounds; NULL keys of other rows
// sort as before or after every value, where the sort put them.
func (c *frameCursor) rangeBound(b *winBuf, i int64, r int, bd logical.FrameBound, end bool) int64 {
	k := c.keys[0]
	if end {
		k = c.keys[1]
	}
	cur := b.idx(i)
	if k.null(cur) {
		if end {
			return b.peerEnd[r]
		}
		return b.peerStart[r]
	}
	limit := b.peerEnd[r]
	if bd.Kind == logical.Following {
		limit = b.partEnd[r]
	}
	ptr := &c.startPtr
	if end {
		ptr = &c.endPtr
	}
	following := bd.Kind == logical.Following
	for *ptr < limit {
		j := b.idx(*ptr)
		var before bool
		if k.null(j) {
			before = k.nullsFirst()
		} else {
			d := k.cmpShifted(j, cur, following)
			before = d < 0 || (end && d == 0)
		}
		if !before {
			break
		}
		*ptr = *ptr + 1
	}
	return *ptr
}
