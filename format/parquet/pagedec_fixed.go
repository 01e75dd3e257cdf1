package parquetfmt

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// FIXED_LEN_BYTE_ARRAY decimals (pageFixed) of L ≤ 16 bytes, big-endian
// two's complement, as pqarrow reads them: decimal128 of the column's
// precision and scale (the reader then converts them as it does
// pqarrow's). They go through the BYTE_ARRAY path (readBytes) with a
// fixed length in place of the length prefixes, the dictionary kept as
// bytes at offsets i·L, and decOut sign-extending each selected value.

// loadFixed reads a dictionary page of n values of d.fixedLen bytes.
func (d *colDecoder[S]) loadFixed(n int, b []byte) error {
	l := d.fixedLen
	if n < 0 || n > len(b)/l {
		return corruptf("dictionary page of %d values of %d bytes holds %d bytes", n, l, len(b))
	}
	d.dictOffs = make([]int32, n+1)
	for i := range d.dictOffs {
		d.dictOffs[i] = int32(i * l)
	}
	d.dictBytes = append([]byte(nil), b[:n*l]...)
	d.haveDict = true
	return nil
}

// beDecimal is the big-endian two's complement b (1 to 16 bytes).
func beDecimal(b []byte) decimal128.Num {
	var hi, lo uint64
	if b[0]&0x80 != 0 {
		hi, lo = ^uint64(0), ^uint64(0)
	}
	for _, c := range b {
		hi = hi<<8 | lo>>56
		lo = lo<<8 | uint64(c)
	}
	return decimal128.New(int64(hi), lo)
}

// decOut builds a decimal128 array of m values, validity made when the
// first NULL shows.
type decOut struct {
	buf   *memory.Buffer
	v     []decimal128.Num
	valid *memory.Buffer
	bits  []byte
	j     int
	nulls int
}

func newDecOut(m int) *decOut {
	b := &decOut{buf: memory.NewResizableBuffer(mem)}
	b.buf.Resize(arrow.Decimal128Traits.BytesRequired(m))
	b.v = arrow.Decimal128Traits.CastFromBytes(b.buf.Bytes())[:m]
	return b
}

func (b *decOut) add(val []byte) {
	b.v[b.j] = beDecimal(val)
	if b.bits != nil {
		setBit(b.bits, b.j)
	}
	b.j++
}

func (b *decOut) null() {
	if b.valid == nil {
		b.valid = memory.NewResizableBuffer(mem)
		b.valid.Resize(int(bitutil.BytesForBits(int64(len(b.v)))))
		b.bits = b.valid.Bytes()
		clear(b.bits)
		bitutil.SetBitsTo(b.bits, 0, int64(b.j), true)
	}
	b.v[b.j] = decimal128.Num{}
	b.j++
	b.nulls++
}

func (b *decOut) rows() int { return b.j }

func (b *decOut) finish(typ arrow.DataType) (arrow.Array, error) {
	data := array.NewData(typ, b.j, []*memory.Buffer{b.valid, b.buf}, nil, b.nulls, 0)
	b.release()
	defer data.Release()
	return array.MakeFromData(data), nil
}

func (b *decOut) release() {
	b.buf.Release()
	if b.valid != nil {
		b.valid.Release()
	}
}
