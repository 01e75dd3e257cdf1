package parquetfmt

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// BYTE_ARRAY chunks read as utf8 or binary (pageBytes): PLAIN pages,
// dictionary pages, or a dictionary falling back to PLAIN mid-chunk
// (high-cardinality strings such as comments, and every string column of
// a file written without dictionaries). A PLAIN page is a run of 4-byte
// lengths each followed by its bytes: unselected values are stepped over
// by their lengths, and only the selected ones are copied, straight into
// the output's value buffer. The bytes are not checked as UTF-8, as
// pqarrow does not check them either.

// readBytes is read for pageBytes and pageFixed, once read has reached
// the first row; m is the rows it outputs.
func (d *colDecoder[S]) readBytes(n int64, m int, sel []int32, all bool) (arrow.Array, error) {
	var out valueSink
	if d.kind.kind == pageFixed {
		out = newDecOut(m)
	} else {
		out = newBytesOut(m, m*max(d.bytesRow, 8))
	}
	si := 0 // next entry of sel
	for r := int64(0); r < n; {
		if d.row == d.pageEnd {
			if err := d.nextPage(); err != nil {
				out.release()
				return nil, err
			}
		}
		k := int(min(n-r, d.pageEnd-d.row, decodeChunkRows))
		var s []int32
		if !all {
			s, si = selIn(sel, si, r+int64(k))
			if len(s) == 0 {
				if err := d.skipRows(k); err != nil {
					out.release()
					return nil, err
				}
				r += int64(k)
				continue
			}
		}
		if err := d.bytesChunk(k, r, s, all, out); err != nil {
			out.release()
			return nil, err
		}
		r += int64(k)
	}
	if out.rows() != m {
		out.release()
		return nil, fmt.Errorf("payload decoder wrote %d rows, want %d", out.rows(), m)
	}
	if b, ok := out.(*bytesOut); ok && m > 0 {
		d.bytesRow = len(b.v)/m + len(b.v)/(8*m) + 1 // an eighth over: batches vary
	}
	return out.finish(d.kind.typ)
}

// bytesChunk decodes k rows of the current page, the first being row r
// of the request, into out: all of them, or those of s (request rows).
func (d *colDecoder[S]) bytesChunk(k int, r int64, s []int32, all bool, out valueSink) error {
	var lv []uint32
	nonNull := k
	if d.nullable {
		lv = grow(&d.levels, k)
		if err := d.defs.get(lv); err != nil {
			return err
		}
		nonNull = 0
		for _, l := range lv {
			nonNull += int(l)
		}
	}
	var ids []uint32
	if !d.dictPlain {
		ids = grow(&d.ids, nonNull)
		if err := d.idx.get(ids); err != nil {
			return err
		}
	}
	p := d.plain
	v := 0 // next of the chunk's non-NULL values
	for i := 0; i < k; i++ {
		// times: how often row i is asked for (sel has no repeats, but
		// that is not this loop's to assume).
		times := 1
		if !all {
			times = 0
			for len(s) > 0 && int64(s[0])-r == int64(i) {
				times++
				s = s[1:]
			}
		}
		if lv != nil && lv[i] == 0 {
			for range times {
				out.null()
			}
			continue
		}
		var val []byte
		if d.dictPlain && d.fixedLen > 0 {
			if len(p) < d.fixedLen {
				return corruptf("PLAIN page holds fewer values than its levels say")
			}
			val, p = p[:d.fixedLen], p[d.fixedLen:]
		} else if d.dictPlain {
			if len(p) < 4 {
				return corruptf("PLAIN page ends inside a value's length")
			}
			l := binary.LittleEndian.Uint32(p)
			if uint64(l) > uint64(len(p)-4) {
				return corruptf("PLAIN value of %d bytes runs past its page", l)
			}
			val, p = p[4:4+l], p[4+l:]
		} else if times > 0 {
			id := ids[v]
			if int(id) >= len(d.dictOffs)-1 {
				return badIndex(id, len(d.dictOffs)-1)
			}
			val = d.dictBytes[d.dictOffs[id]:d.dictOffs[id+1]]
		}
		v++
		for range times {
			out.add(val)
		}
	}
	d.plain = p
	d.row += int64(k)
	return nil
}

// skipPlainBytes steps over n values of a PLAIN BYTE_ARRAY (or
// FIXED_LEN_BYTE_ARRAY) page.
func (d *colDecoder[S]) skipPlainBytes(n int) error {
	if d.fixedLen > 0 {
		if n > len(d.plain)/d.fixedLen {
			return corruptf("PLAIN page holds fewer values than its levels say")
		}
		d.plain = d.plain[n*d.fixedLen:]
		return nil
	}
	p := d.plain
	for range n {
		if len(p) < 4 {
			return corruptf("PLAIN page ends inside a value's length")
		}
		l := binary.LittleEndian.Uint32(p)
		if uint64(l) > uint64(len(p)-4) {
			return corruptf("PLAIN value of %d bytes runs past its page", l)
		}
		p = p[4+l:]
	}
	d.plain = p
	return nil
}

// valueSink takes a column's values in order: bytesOut as they are,
// decOut as big-endian decimals.
type valueSink interface {
	add(val []byte)
	null()
	rows() int
	finish(typ arrow.DataType) (arrow.Array, error)
	release()
}

// bytesOut builds a utf8 or binary array of m values: int32 offsets,
// the value bytes (the buffer grows by doubling) and a validity bitmap
// made when the first NULL shows.
type bytesOut struct {
	offs  *memory.Buffer
	o     []int32
	vals  *memory.Buffer
	v     []byte // vals' bytes: len is what is written, cap what is there
	valid *memory.Buffer
	bits  []byte
	j     int // values written
	nulls int
}

func newBytesOut(m, guess int) *bytesOut {
	b := &bytesOut{offs: memory.NewResizableBuffer(mem), vals: memory.NewResizableBuffer(mem)}
	b.offs.Resize(arrow.Int32Traits.BytesRequired(m + 1))
	b.o = arrow.Int32Traits.CastFromBytes(b.offs.Bytes())
	b.o[0] = 0
	b.vals.Reserve(guess)
	b.v = b.vals.Buf()[:0]
	return b
}

func (b *bytesOut) add(val []byte) {
	if len(b.v)+len(val) > cap(b.v) {
		b.vals.Reserve(max(2*cap(b.v), len(b.v)+len(val)))
		b.v = b.vals.Buf()[:len(b.v)]
	}
	b.v = append(b.v, val...)
	if b.bits != nil {
		setBit(b.bits, b.j)
	}
	b.j++
	b.o[b.j] = int32(len(b.v)) // checked against overflow in finish
}

func (b *bytesOut) rows() int { return b.j }

func (b *bytesOut) null() {
	if b.valid == nil {
		b.valid = memory.NewResizableBuffer(mem)
		b.valid.Resize(int(bitutil.BytesForBits(int64(len(b.o) - 1))))
		b.bits = b.valid.Bytes()
		clear(b.bits)
		bitutil.SetBitsTo(b.bits, 0, int64(b.j), true)
	}
	b.j++
	b.o[b.j] = int32(len(b.v))
	b.nulls++
}

// finish makes the array of type typ (utf8 or binary).
func (b *bytesOut) finish(typ arrow.DataType) (arrow.Array, error) {
	if len(b.v) > math.MaxInt32 {
		b.release()
		return nil, fmt.Errorf("%d bytes of %s values in one batch: more than int32 offsets hold", len(b.v), typ)
	}
	b.vals.ResizeNoShrink(len(b.v))
	data := array.NewData(typ, b.j, []*memory.Buffer{b.valid, b.offs, b.vals}, nil, b.nulls, 0)
	b.release()
	defer data.Release()
	return array.MakeFromData(data), nil
}

func (b *bytesOut) release() {
	for _, buf := range []*memory.Buffer{b.offs, b.vals, b.valid} {
		if buf != nil {
			buf.Release()
		}
	}
}
