package operator

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/operator/sortkey"
	"github.com/drover-etl/drover/plan/logical"
)

// normalizedKeys switches the sort, the spill merge and (through
// sortkey) the range partitioner between normalized keys and the
// per-column comparators; tests and benchmarks compare the two.
var normalizedKeys = true

// normRow is a row index with the first 16 bytes of its normalized key
// as two big-endian words: most comparisons end on them.
type normRow struct {
	p0, p1 uint64
	row    int32
}

// normPermutation sorts rows by their normalized keys, ties by row index
// (a stable sort's order). ok is false when a key column's type has no
// normalized encoding.
func normPermutation(keyCols []arrow.Array, keys []logical.SortKey, n int) (perm []int32, ok bool) {
	if !normalizedKeys || !sortkey.AllSupported(keyCols) {
		return nil, false
	}
	var enc sortkey.Rows
	if err := sortkey.Encode(&enc, keyCols, keys, n); err != nil {
		return nil, false
	}
	rows := make([]normRow, n)
	var pad [16]byte
	for i := range rows {
		k := enc.Row(i)
		if len(k) < 16 {
			copy(pad[:], k)
			clear(pad[len(k):])
			k = pad[:]
		}
		rows[i] = normRow{binary.BigEndian.Uint64(k), binary.BigEndian.Uint64(k[8:]), int32(i)}
	}
	// Encodings are prefix-free, so keys of at most 16 bytes that agree
	// on their padded prefix are equal.
	short := enc.MaxLen <= 16
	slices.SortFunc(rows, func(x, y normRow) int {
		if x.p0 != y.p0 {
			return cmp.Compare(x.p0, y.p0)
		}
		if x.p1 != y.p1 {
			return cmp.Compare(x.p1, y.p1)
		}
		if !short {
			if r := bytes.Compare(enc.Row(int(x.row)), enc.Row(int(y.row))); r != 0 {
				return r
			}
		}
		return cmp.Compare(x.row, y.row)
	})
	perm = make([]int32, n)
	for i, r := range rows {
		perm[i] = r.row
	}
	return perm, true
}
