package operator

import (
	"cmp"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
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

// rangeKeys reads one order key for RANGE offsets.
type rangeKeys interface {
	load(col arrow.Array)
	null(j int) bool
	nullsFirst() bool
	// cmpShifted compares row j's key with row i's key moved by the offset
	// (back for PRECEDING, forward for FOLLOWING, in sort direction),
	// negative when j sorts before it.
	cmpShifted(j, i int, following bool) int
}

func newRangeKeys(k logical.SortKey, off types.Value) (rangeKeys, error) {
	t := k.Expr.Type
	switch {
	case t.IsInteger() || t.ID == types.Date || t.ID == types.Timestamp:
		return &typedRangeKeys[int64]{key: k, off: off.I, values: asInt64s, add: addSat, cmp: cmp.Compare[int64]}, nil
	case t.IsFloat():
		return &typedRangeKeys[float64]{key: k, off: off.F, values: asFloat64s, add: func(a, b float64) float64 { return a + b },
			cmp: types.CompareFloat[float64]}, nil
	case t.ID == types.Decimal:
		return &typedRangeKeys[decimal128.Num]{key: k, off: off.Decimal128(), values: asDecimals, add: addDecimalSat,
			cmp: func(a, b decimal128.Num) int { return a.Cmp(b) }}, nil
	}
	return nil, fmt.Errorf("not supported: RANGE offset over a %s key", t)
}

type typedRangeKeys[T any] struct {
	key    logical.SortKey
	off    T
	vals   []T
	col    arrow.Array
	values func(arrow.Array) []T
	add    func(a, b T) T
	cmp    func(a, b T) int
}

func (t *typedRangeKeys[T]) load(col arrow.Array) { t.col, t.vals = col, t.values(col) }
func (t *typedRangeKeys[T]) null(j int) bool      { return t.col.IsNull(j) }
func (t *typedRangeKeys[T]) nullsFirst() bool     { return t.key.NullsFirst }

func (t *typedRangeKeys[T]) cmpShifted(j, i int, following bool) int {
	// Ascending, PRECEDING moves down; descending, it moves up.
	up := following != t.key.Desc
	var target T
	if up {
		target = t.add(t.vals[i], t.off)
	} else {
		target = sub(t, t.vals[i])
	}
	d := t.cmp(t.vals[j], target)
	if t.key.Desc {
		d = -d
	}
	return d
}

func sub[T any](t *typedRangeKeys[T], v T) T {
	switch off := any(t.off).(type) {
	case int64:
		return any(subSat(any(v).(int64), off)).(T)
	case float64:
		return any(any(v).(float64) - off).(T)
	case decimal128.Num:
		return any(addDecimalSat(any(v).(decimal128.Num), off.Negate())).(T)
	}
	panic("window: unexpected range key type")
}

func addSat(a, b int64) int64 {
	if b > 0 && a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

func subSat(a, b int64) int64 {
	if b > 0 && a < math.MinInt64+b {
		return math.MinInt64
	}
	return a - b
}

// addDecimalSat adds two decimals; offsets and keys are far below 128
// bits, so this only guards against wrapping.
func addDecimalSat(a, b decimal128.Num) decimal128.Num {
	s := addDecimal(a, b)
	if a.Sign() == b.Sign() && a.Sign() != 0 && s.Sign() != a.Sign() {
		if a.Sign() > 0 {
			return decimal128.MaxDecimal128
		}
		return decimal128.MaxDecimal128.Negate()
	}
	return s
}

func asInt64s(a arrow.Array) []int64 {
	switch a := a.(type) {
	case *array.Int64:
		return a.Int64Values()
	case *array.Int32:
		return convert(a.Int32Values(), func(v int32) int64 { return int64(v) })
	case *array.Date32:
		return convert(a.Date32Values(), func(v arrow.Date32) int64 { return int64(v) })
	case *array.Timestamp:
		return convert(a.TimestampValues(), func(v arrow.Timestamp) int64 { return int64(v) })
	}
	panic("window: RANGE key is not integer-like: " + a.DataType().String())
}

func asFloat64s(a arrow.Array) []float64 {
	v, err := float64Values(a)
	if err != nil {
		panic("window: " + err.Error())
	}
	return v
}

func asDecimals(a arrow.Array) []decimal128.Num { return a.(*array.Decimal128).Values() }
