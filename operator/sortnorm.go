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
	// Bytes every key shares (a string key's common prefix) decide
	// nothing: the two words start after them.
	lcp := commonPrefix(&enc)
	if enc.MaxLen-lcp <= 8 {
		return narrowPermutation(&enc, lcp), true
	}
	rows := make([]normRow, n)
	var pad [16]byte
	for i := range rows {
		k := enc.Row(i)[lcp:]
		if len(k) < 16 {
			copy(pad[:], k)
			clear(pad[len(k):])
			k = pad[:]
		}
		rows[i] = normRow{binary.BigEndian.Uint64(k), binary.BigEndian.Uint64(k[8:]), int32(i)}
	}
	// Encodings are prefix-free, so keys of at most 16 bytes (past the
	// common prefix) that agree on their padded words are equal.
	short := enc.MaxLen-lcp <= 16
	slices.SortFunc(rows, func(x, y normRow) int {
		if x.p0 != y.p0 {
			return cmp.Compare(x.p0, y.p0)
		}
		if x.p1 != y.p1 {
			return cmp.Compare(x.p1, y.p1)
		}
		if !short {
			if r := bytes.Compare(enc.Row(int(x.row))[lcp:], enc.Row(int(y.row))[lcp:]); r != 0 {
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

// narrowPermutation sorts keys of at most 8 bytes past the common prefix
// lcp as (word, row) pairs: one int key, a date, a small composite.
func narrowPermutation(enc *sortkey.Rows, lcp int) []int32 {
	rows := make([]prefixedRow, enc.Len())
	var pad [8]byte
	for i := range rows {
		k := enc.Row(i)[lcp:]
		copy(pad[:], k)
		clear(pad[len(k):])
		// flipping the top bit keeps the unsigned order as an int64 order
		rows[i] = prefixedRow{int64(binary.BigEndian.Uint64(pad[:]) ^ 1<<63), int32(i)}
	}
	slices.SortFunc(rows, func(x, y prefixedRow) int {
		if x.key != y.key {
			return cmp.Compare(x.key, y.key)
		}
		return cmp.Compare(x.row, y.row)
	})
	perm := make([]int32, len(rows))
	for i, r := range rows {
		perm[i] = r.row
	}
	return perm
}

// commonPrefix is the length of the prefix all rows share.
func commonPrefix(enc *sortkey.Rows) int {
	n := enc.Len()
	if n == 0 {
		return 0
	}
	first := enc.Row(0)
	lcp := len(first)
	for i := 1; i < n && lcp > 0; i++ {
		k := enc.Row(i)
		if len(k) < lcp {
			lcp = len(k)
		}
		if !bytes.Equal(k[:lcp], first[:lcp]) {
			j := 0
			for j < lcp && k[j] == first[j] {
				j++
			}
			lcp = j
		}
	}
	return lcp
}
