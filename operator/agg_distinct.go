package operator

import (
	"encoding/binary"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/operator/keys"
)

// distinctAcc feeds its inner accumulator only the first occurrence of each
// (group, value) pair, which turns count/sum/avg into their DISTINCT forms.
// NULLs pass through (the inner accumulator ignores them).
type distinctAcc struct {
	inner accumulator
	seen  map[string]struct{}
	n     int // groups
	enc   keys.Keys
	buf   []byte
	// vals and gids keep the values passed on, so that a spill can write
	// them (rawValues); size estimates the memory held.
	vals []arrow.Array
	gids []int32
	size int64
}

func (d *distinctAcc) grow(n int) { d.inner.grow(n); d.n = max(d.n, n) }

func (d *distinctAcc) update(gids []int32, arg arrow.Array) error {
	if err := d.enc.Encode([]arrow.Array{arg}, arg.Len()); err != nil {
		return err
	}
	var keep []int32
	for i, g := range gids {
		if arg.IsNull(i) {
			continue
		}
		d.buf = binary.LittleEndian.AppendUint32(d.buf[:0], uint32(g))
		d.buf = append(d.buf, d.enc.Row(i)...)
		if _, ok := d.seen[string(d.buf)]; ok {
			continue
		}
		d.seen[string(d.buf)] = struct{}{}
		d.size += int64(len(d.buf)) + 32
		keep = append(keep, int32(i))
	}
	if len(keep) == 0 {
		return nil
	}
	taken, err := takeRows([]arrow.Array{arg}, keep)
	if err != nil {
		return err
	}
	d.vals = append(d.vals, taken[0])
	d.size += arrayBytes(taken[0]) + 4*int64(len(keep))
	sub := make([]int32, len(keep))
	for j, i := range keep {
		sub[j] = gids[i]
	}
	d.gids = append(d.gids, sub...)
	return d.inner.update(sub, taken[0])
}

// rawValues returns every distinct (group, value) pair kept.
func (d *distinctAcc) rawValues() ([]int32, arrow.Array, error) {
	if len(d.vals) == 0 {
		return nil, array.MakeArrayOfNull(mem, arrow.Null, 0), nil
	}
	vals, err := array.Concatenate(d.vals, mem)
	return d.gids, vals, err
}

func (d *distinctAcc) bytes() int64 {
	if s, ok := d.inner.(sizer); ok {
		return d.size + s.bytes()
	}
	return d.size + 32*int64(d.n)
}

func (d *distinctAcc) merge([]int32, []arrow.Array) error { panic("distinct aggregates do not merge") }
func (d *distinctAcc) partial() []arrow.Array             { panic("distinct aggregates have no partial state") }
func (d *distinctAcc) final() (arrow.Array, error)        { return d.inner.final() }
