package parquetfmt

import (
	"encoding/binary"
	"fmt"
)

// hybrid decodes Parquet's RLE / bit-packed hybrid encoding (definition
// levels, dictionary indices) of values up to 32 bits wide. The stream is
// a sequence of runs, each behind a ULEB128 header h: h&1 == 0 is an RLE
// run of h>>1 copies of one value stored in ceil(width/8) bytes; h&1 == 1
// is a bit-packed run of (h>>1)·8 values, packed LSB first in
// (h>>1)·width bytes. Runs are consumed in place: skipping a run costs
// O(1), which is what lets the payload side step over unselected rows.
type hybrid struct {
	data  []byte
	pos   int // byte offset of the next run header
	width uint
	mask  uint64
	// The current run: left values remain; RLE repeats val, a bit-packed
	// run has its next value at bit bit of packed.
	rle    bool
	left   int
	val    uint32
	packed []byte
	bit    uint
}

var errHybridShort = fmt.Errorf("%w: RLE/bit-packed run ends before its values", errBadPage)

func (h *hybrid) reset(data []byte, width uint) {
	*h = hybrid{data: data, width: width, mask: 1<<width - 1}
}

// next reads the next run header.
func (h *hybrid) next() error {
	hdr, n := binary.Uvarint(h.data[h.pos:])
	if n <= 0 || hdr>>1 == 0 || hdr>>1 > 1<<31 {
		return errHybridShort
	}
	h.pos += n
	count := int(hdr >> 1)
	if hdr&1 == 0 {
		nb := int(h.width+7) / 8
		if h.pos+nb > len(h.data) {
			return errHybridShort
		}
		var v uint32
		for i := range nb {
			v |= uint32(h.data[h.pos+i]) << (8 * i)
		}
		h.pos += nb
		if uint64(v) > h.mask {
			return fmt.Errorf("%w: RLE value %d wider than %d bits", errBadPage, v, h.width)
		}
		h.rle, h.left, h.val = true, count, v
		return nil
	}
	// A bit-packed run: writers may cut the last one short of its
	// declared groups (arrow-go and parquet-mr read what is there), so
	// the run holds what its bytes can.
	nbytes := count * 8 * int(h.width) / 8
	if avail := len(h.data) - h.pos; nbytes > avail {
		nbytes = avail
		if h.width > 0 {
			count = min(count*8, avail*8/int(h.width))
		} else {
			count *= 8
		}
	} else {
		count *= 8
	}
	h.rle, h.left, h.packed, h.bit = false, count, h.data[h.pos:h.pos+nbytes], 0
	h.pos += nbytes
	return nil
}

// get fills dst with the next len(dst) values.
func (h *hybrid) get(dst []uint32) error {
	for len(dst) > 0 {
		if h.left == 0 {
			if err := h.next(); err != nil {
				return err
			}
		}
		k := min(h.left, len(dst))
		if h.rle {
			v := h.val
			for i := range dst[:k] {
				dst[i] = v
			}
		} else {
			h.unpack(dst[:k])
		}
		h.left -= k
		dst = dst[k:]
	}
	return nil
}

// unpack reads len(dst) values of the current bit-packed run. Each value
// is one unaligned 64-bit load, a shift and a mask (width ≤ 32, so the
// value and its bit offset within the byte fit in 64 bits); near the end
// of the run, where 8 bytes are not there, the load is assembled byte by
// byte.
func (h *hybrid) unpack(dst []uint32) {
	w, mask, p, bit := h.width, h.mask, h.packed, h.bit
	if w == 0 {
		clear(dst)
		return
	}
	i := 0
	if w <= 8 {
		// Narrow values (flags, small dictionaries): from a group
		// boundary on, 8 values are one 64-bit load of w bytes.
		for ; i < len(dst) && bit%(8*w) != 0; i++ {
			b := bit >> 3
			if int(b)+8 > len(p) {
				break
			}
			dst[i] = uint32(binary.LittleEndian.Uint64(p[b:]) >> (bit & 7) & mask)
			bit += w
		}
		if bit%(8*w) == 0 {
			for ; i+8 <= len(dst); i += 8 {
				b := bit >> 3
				if int(b)+8 > len(p) {
					break
				}
				x := binary.LittleEndian.Uint64(p[b:])
				d := dst[i : i+8 : i+8]
				d[0] = uint32(x & mask)
				d[1] = uint32(x >> w & mask)
				d[2] = uint32(x >> (2 * w) & mask)
				d[3] = uint32(x >> (3 * w) & mask)
				d[4] = uint32(x >> (4 * w) & mask)
				d[5] = uint32(x >> (5 * w) & mask)
				d[6] = uint32(x >> (6 * w) & mask)
				d[7] = uint32(x >> (7 * w) & mask)
				bit += 8 * w
			}
		}
	}
	for ; i < len(dst); i++ {
		b := bit >> 3
		if int(b)+8 > len(p) {
			break
		}
		dst[i] = uint32(binary.LittleEndian.Uint64(p[b:]) >> (bit & 7) & mask)
		bit += w
	}
	for ; i < len(dst); i++ {
		b := int(bit >> 3)
		var x uint64
		for j := 0; j < 8 && b+j < len(p); j++ {
			x |= uint64(p[b+j]) << (8 * j)
		}
		dst[i] = uint32(x >> (bit & 7) & mask)
		bit += w
	}
	h.bit = bit
}

// skip steps over the next n values.
func (h *hybrid) skip(n int) error {
	for n > 0 {
		if h.left == 0 {
			if err := h.next(); err != nil {
				return err
			}
		}
		k := min(h.left, n)
		if !h.rle {
			h.bit += uint(k) * h.width
		}
		h.left -= k
		n -= k
	}
	return nil
}

// countOnes reads n levels of a width-1 stream and returns how many are 1
// (non-NULL rows), without storing them.
func (h *hybrid) countOnes(n int, scratch []uint32) (int, error) {
	ones := 0
	for n > 0 {
		if h.left == 0 {
			if err := h.next(); err != nil {
				return 0, err
			}
		}
		k := min(h.left, n)
		if h.rle {
			ones += k * int(h.val)
			h.left -= k
		} else {
			for k > 0 {
				m := min(k, len(scratch))
				h.unpack(scratch[:m])
				h.left -= m
				for _, v := range scratch[:m] {
					ones += int(v)
				}
				k -= m
				n -= m
			}
			continue
		}
		n -= k
	}
	return ones, nil
}
