package operator

import (
	"encoding/binary"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/operator/keys"
)

// distinctAcc feeds its inner accumulator only the first occurrence of each
// (group, value) pair, which turns count/sum/avg into their DISTINCT forms.
// NULLs pass through (the inner accumulator ignores them).
type distinctAcc struct {
	inner accumulator
	seen  map[string]struct{}
	enc   keys.Keys
	buf   []byte
}

func (d *distinctAcc) grow(n int) { d.inner.grow(n) }

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
		keep = append(keep, int32(i))
	}
	if len(keep) == 0 {
		return nil
	}
	taken, err := takeRows([]arrow.Array{arg}, keep)
	if err != nil {
		return err
	}
	defer releaseAll(taken)
	sub := make([]int32, len(keep))
	for j, i := range keep {
		sub[j] = gids[i]
	}
	return d.inner.update(sub, taken[0])
}

func (d *distinctAcc) merge([]int32, []arrow.Array) error { panic("distinct aggregates do not merge") }
func (d *distinctAcc) partial() []arrow.Array             { panic("distinct aggregates have no partial state") }
func (d *distinctAcc) final() (arrow.Array, error)        { return d.inner.final() }
