package eval

import (
	"encoding/binary"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
)

// chunk is how many rows a comparison writes as bools before packing them
// into a bitmap: small enough to stay in L1, a multiple of 8.
const chunk = 1024

// packBools stores r as bits of out starting at bit base (a multiple of 8).
// Eight bools (0/1 bytes) are gathered into one byte with a multiply: byte
// j of x lands on bit 56+j of x*magic and no two partial products overlap.
func packBools(out []byte, base int, r []bool) {
	o := out[base>>3:]
	raw := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(r))), len(r))
	n := len(raw) &^ 7
	for i := 0; i < n; i += 8 {
		x := binary.LittleEndian.Uint64(raw[i : i+8])
		o[i>>3] = byte((x * 0x0102040810204080) >> 56)
	}
	if n < len(raw) {
		var last byte
		for j, v := range raw[n:] {
			last |= v << j
		}
		o[n>>3] = last
	}
}

// bytesFor is the byte length of an n-bit bitmap.
func bytesFor(n int) int { return (n + 7) >> 3 }

// ones returns an all-set bitmap for n bits.
func ones(n int) []byte {
	b := make([]byte, bytesFor(n))
	for i := range b {
		b[i] = 0xFF
	}
	return b
}

// alignedBits returns bitmap buffer i (0 validity, 1 bool data) of a so that
// bit 0 is row 0: a subslice when the offset is byte-aligned, else a copy.
// nil means the buffer is absent (no nulls, for validity).
func alignedBits(a arrow.Array, i int) []byte {
	buf := a.Data().Buffers()[i]
	if buf == nil {
		return nil
	}
	off := a.Data().Offset()
	if off%8 == 0 {
		return buf.Bytes()[off/8:]
	}
	out := make([]byte, bytesFor(a.Len()))
	bitutil.CopyBitmap(buf.Bytes(), off, a.Len(), out, 0)
	return out
}

// validBits is a's validity as an aligned bitmap, all-set when it has no
// NULLs and all-clear for an all-NULL array without a bitmap.
func validBits(a arrow.Array) []byte {
	if a.NullN() == 0 {
		return ones(a.Len())
	}
	if v := alignedBits(a, 0); v != nil {
		return v
	}
	return make([]byte, bytesFor(a.Len()))
}

// boolBits returns the data and validity bitmaps of a boolean datum over n
// rows; constants are expanded (n/8 bytes, cheap next to any kernel).
func boolBits(d datum, n int) (data, valid []byte) {
	if d.arr == nil {
		if d.val.Null {
			return make([]byte, bytesFor(n)), make([]byte, bytesFor(n))
		}
		if d.val.B {
			return ones(n), ones(n)
		}
		return make([]byte, bytesFor(n)), ones(n)
	}
	return alignedBits(d.arr, 1), validBits(d.arr)
}

// trueMask is the bitmap of rows where a boolean datum is TRUE (not NULL).
func trueMask(d datum, n int) []byte {
	data, valid := boolBits(d, n)
	out := make([]byte, bytesFor(n))
	for i := range out {
		out[i] = data[i] & valid[i]
	}
	return out
}

// nullMask is the bitmap of rows where d is NULL.
func nullMask(d datum, n int) []byte {
	if d.arr == nil {
		if d.val.Null {
			return ones(n)
		}
		return make([]byte, bytesFor(n))
	}
	v := validBits(d.arr)
	out := make([]byte, bytesFor(n))
	for i := range out {
		out[i] = ^v[i]
	}
	return out
}

func countBits(b []byte, n int) int { return bitutil.CountSetBits(b, 0, n) }

func bitSet(b []byte, i int) bool { return b[i>>3]>>(i&7)&1 != 0 }
