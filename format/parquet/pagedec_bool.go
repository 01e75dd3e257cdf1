package parquetfmt

import (
	"encoding/binary"

	"github.com/apache/arrow-go/v18/parquet"
)

// BOOLEAN chunks (pageBool). Both of their encodings are a width-1
// stream the hybrid decoder reads: PLAIN is the values bit-packed LSB
// first (one bit-packed run with no header), RLE (v2 pages) a 4-byte
// length and then RLE / bit-packed runs of width 1. The values are
// decoded as if they were dictionary indices into the dictionary {0, 1},
// so chunk and skipRows serve them as they are, and read packs the
// staged 0/1 values into the output bitmap.

// startBools sets up the values of a BOOLEAN data page (its levels
// already taken off).
func (d *colDecoder[S]) startBools(enc parquet.Encoding, data []byte) error {
	d.dictPlain = false
	if len(d.dict) != 2 {
		d.dict = []S{0, 1}
	}
	switch enc {
	case parquet.Encodings.Plain:
		d.idx = hybrid{width: 1, mask: 1, left: 8 * len(data), packed: data}
	case parquet.Encodings.RLE:
		if len(data) < 4 {
			return corruptf("RLE boolean page without its length")
		}
		l := binary.LittleEndian.Uint32(data)
		if uint64(l) > uint64(len(data)-4) {
			return corruptf("RLE booleans of %d bytes in a page of %d", l, len(data))
		}
		d.idx.reset(data[4:4+l], 1)
	default:
		return corruptf("boolean data page encoding %s", enc)
	}
	return nil
}

// packBools sets bit at+i of bits for each vals[i] that is 1 (bits is
// clear there).
func packBools[S uint32 | uint64](vals []S, bits []byte, at int) {
	for i, v := range vals {
		bits[(at+i)>>3] |= byte(v) << ((at + i) & 7)
	}
}
