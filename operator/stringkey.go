package operator

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/drover-etl/drover/operator/hashtab"
)

// emptyStringHash is the hash of the empty string as a kindString key;
// nullStringHash, the NULL key's, differs from it in the low bit, so the
// two never share a tag in hashtab.Bytes (both have no bytes): NULL
// matches only NULL.
var (
	emptyStringHash = hashtab.HashString(nil, rowSeed)
	nullStringHash  = emptyStringHash ^ 1
)

// stringRows lays out one string key column for hashtab.Bytes without
// encoding it: the rows are the column's own value bytes and offsets. A
// dictionary column is decoded first; a column with NULLs is compacted
// (NULL rows get no bytes: Arrow lets a NULL slot cover any bytes).
type stringRows struct {
	buf   []byte
	offs  []int32
	nulls []bool // NULL mask, nil without NULLs
	// decoded holds a dictionary column's strings until the next batch;
	// the scratch slices are reused across batches.
	decoded  arrow.Array
	nullBuf  []bool
	compBuf  []byte
	compOffs []int32
}

// release drops the previous batch's decoded column.
func (s *stringRows) release() {
	if s.decoded != nil {
		s.decoded.Release()
		s.decoded = nil
	}
	s.buf, s.offs, s.nulls = nil, nil, nil
}

// prepare lays out col (a STRING column or a dictionary of strings).
func (s *stringRows) prepare(col arrow.Array) error {
	if _, ok := col.(*array.Dictionary); ok {
		p, err := plain(col)
		if err != nil {
			return err
		}
		s.decoded, col = p, p
	}
	a, ok := col.(*array.String)
	if !ok {
		return fmt.Errorf("operator: string key of type %s", col.DataType())
	}
	s.offs = a.ValueOffsets()
	if b := a.Data().Buffers()[2]; b != nil {
		s.buf = b.Bytes()
	}
	if a.NullN() > 0 {
		s.compact(a)
	}
	return nil
}

// compact copies the valid rows' bytes into scratch, NULL rows empty.
func (s *stringRows) compact(a *array.String) {
	n := a.Len()
	if cap(s.nullBuf) < n {
		s.nullBuf = make([]bool, n)
	}
	s.nulls = s.nullBuf[:n]
	buf := s.compBuf[:0]
	offs := append(s.compOffs[:0], 0)
	for i := range n {
		s.nulls[i] = a.IsNull(i)
		if !s.nulls[i] {
			buf = append(buf, a.Value(i)...)
		}
		offs = append(offs, int32(len(buf)))
	}
	s.compBuf, s.compOffs = buf, offs
	s.buf, s.offs = buf, offs
}

// hashes sets out[i] to row i's hash and returns out (grown as needed).
func (s *stringRows) hashes(out []uint64) []uint64 {
	n := len(s.offs) - 1
	if cap(out) < n {
		out = make([]uint64, n)
	}
	out = out[:n]
	for i := range out {
		out[i] = hashtab.HashString(s.buf[s.offs[i]:s.offs[i+1]], rowSeed)
	}
	for i, null := range s.nulls {
		if null {
			out[i] = nullStringHash
		}
	}
	return out
}
