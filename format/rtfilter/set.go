package rtfilter

import (
	"errors"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
)

// ErrUnsupported is a build side the Set cannot summarize: a key type it
// does not read, or more rows than a filter is worth.
var ErrUnsupported = errors.New("rtfilter: no runtime filter")

// MaxRows is the most build rows a Set is built from (its Bloom filter
// takes 2 bytes a row).
const MaxRows = 32 << 20

// Set summarizes a join's build keys. It is read-only once built.
type Set struct {
	classes []class
	bloom   *bloom
	// empty: no build row has a key without NULLs; nothing matches.
	empty bool
	// ranged: one integer key, all of whose values lie in [lo, hi].
	ranged bool
	lo, hi int64
}

// Build summarizes the build side's key columns (each n rows, in key
// order). Rows with a NULL in any key are left out: they match nothing.
func Build(keys []arrow.Array) (*Set, error) {
	if len(keys) == 0 {
		return nil, fmt.Errorf("%w: no keys", ErrUnsupported)
	}
	n := keys[0].Len()
	if n > MaxRows {
		return nil, fmt.Errorf("%w: %d build rows", ErrUnsupported, n)
	}
	s := &Set{}
	for _, k := range keys {
		c, ok := classOf(k.DataType())
		if !ok {
			return nil, fmt.Errorf("%w: key type %s", ErrUnsupported, k.DataType())
		}
		s.classes = append(s.classes, c)
	}
	rows := make([]int32, n)
	for i := range rows {
		rows[i] = int32(i)
	}
	hs, null := make([]uint64, n), make([]bool, n)
	for c, k := range keys {
		if !hashColumn(k, rows, hs, null, c == 0) {
			return nil, fmt.Errorf("%w: key type %s", ErrUnsupported, k.DataType())
		}
	}
	s.bloom = newBloom(n)
	s.empty = true
	for i, h := range hs {
		if !null[i] {
			s.bloom.insert(h)
			s.empty = false
		}
	}
	if len(keys) == 1 && s.classes[0].isInt() {
		s.lo, s.hi, s.ranged = intRange(keys[0])
	}
	return s, nil
}

// reads says whether probe key columns cols can be checked against s:
// as many as its keys, each of the same class.
func (s *Set) reads(cols []arrow.Array) bool {
	if len(cols) != len(s.classes) {
		return false
	}
	for i, a := range cols {
		if c, ok := classOf(a.DataType()); !ok || c != s.classes[i] {
			return false
		}
	}
	return true
}

// drop marks in drop the rows (of cols) that cannot match: a NULL key,
// a key outside the range, a hash the Bloom filter lacks (hs is scratch
// space). false when a column cannot be read (drop is then garbage).
func (s *Set) drop(cols []arrow.Array, rows []int32, drop []bool, hs []uint64) bool {
	if s.empty {
		for j := range drop {
			drop[j] = true
		}
		return true
	}
	if s.ranged {
		if _, dict := cols[0].(interface{ Dictionary() arrow.Array }); !dict && !outOfRange(cols[0], rows, s.lo, s.hi, drop) {
			return false
		}
	}
	for c, a := range cols {
		// A NULL key drops the row: hashColumn marks it in drop.
		if !hashColumn(a, rows, hs, drop, c == 0) {
			return false
		}
	}
	for j, h := range hs {
		if !drop[j] && !s.bloom.has(h) {
			drop[j] = true
		}
	}
	return true
}
