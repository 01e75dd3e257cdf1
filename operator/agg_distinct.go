package operator

import (
	"encoding/binary"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/zeebo/xxh3"

	"github.com/drover-etl/drover/operator/hashtab"
	"github.com/drover-etl/drover/operator/keys"
)

// distinctAcc feeds its inner accumulator only the first occurrence of each
// (group, value) pair, which turns count/sum/avg into their DISTINCT forms.
// NULLs pass through (the inner accumulator ignores them). The pairs seen
// are in a hash table: (group, value) for integer-like values, else the
// group followed by the value's key encoding.
type distinctAcc struct {
	inner accumulator
	n     int // groups
	pairs *hashtab.Int64Pair
	rows  *hashtab.Bytes
	enc   keys.Keys
	buf   []byte
	offs  []int32
	hash  []uint64
	ids   []int32
	// vals and gids keep the values passed on, so that a spill can write
	// them (rawValues); size estimates the memory held.
	vals []arrow.Array
	gids []int32
	size int64
}

func (d *distinctAcc) grow(n int) { d.inner.grow(n); d.n = max(d.n, n) }

func (d *distinctAcc) update(gids []int32, arg arrow.Array) error {
	keep, err := d.firstSeen(gids, arg)
	if err != nil || len(keep) == 0 {
		return err
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

// firstSeen returns the rows whose (group, value) pair is new, NULL values
// left out.
func (d *distinctAcc) firstSeen(gids []int32, arg arrow.Array) ([]int32, error) {
	rows := make([]int32, 0, len(gids))
	for i := range gids {
		if arg.IsValid(i) {
			rows = append(rows, int32(i))
		}
	}
	if len(rows) == 0 {
		return nil, nil
	}
	if cap(d.ids) < len(rows) {
		d.ids = make([]int32, len(rows))
	}
	ids := d.ids[:len(rows)]
	var before int
	if vals, _, ok := intKeys([]arrow.Array{arg}); ok && d.rows == nil {
		if d.pairs == nil {
			d.pairs = hashtab.NewInt64Pair(0)
		}
		a, b := make([]int64, len(rows)), make([]int64, len(rows))
		for j, i := range rows {
			a[j], b[j] = int64(gids[i]), vals[i]
		}
		before = d.pairs.Len()
		d.pairs.FindOrInsert(a, b, nil, nil, ids)
		d.size += int64(d.pairs.Len()-before) * 48
	} else {
		if d.pairs != nil {
			return nil, fmt.Errorf("distinct aggregate: argument changed from integers to %s", arg.DataType())
		}
		if d.rows == nil {
			d.rows = hashtab.NewBytes(0)
		}
		if err := d.enc.Encode([]arrow.Array{arg}, arg.Len()); err != nil {
			return nil, err
		}
		d.buf, d.offs = d.buf[:0], append(d.offs[:0], 0)
		for _, i := range rows {
			d.buf = binary.LittleEndian.AppendUint32(d.buf, uint32(gids[i]))
			d.buf = append(d.buf, d.enc.Row(int(i))...)
			d.offs = append(d.offs, int32(len(d.buf)))
		}
		if cap(d.hash) < len(rows) {
			d.hash = make([]uint64, len(rows))
		}
		d.hash = d.hash[:len(rows)]
		for j := range rows {
			d.hash[j] = xxh3.HashSeed(d.buf[d.offs[j]:d.offs[j+1]], rowSeed)
		}
		before = d.rows.Len()
		keyBytes := d.rows.KeyBytes()
		d.rows.FindOrInsert(d.buf, d.offs, d.hash, ids)
		d.size += d.rows.KeyBytes() - keyBytes + int64(d.rows.Len()-before)*32
	}
	keep := rows[:0]
	next := int32(before)
	for j, id := range ids {
		if id == next {
			keep = append(keep, rows[j])
			next++
		}
	}
	return keep, nil
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
