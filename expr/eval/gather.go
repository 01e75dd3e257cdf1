package eval

import (
	"encoding/binary"
	"math/bits"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/types"
)

// gather returns src[idx[j]] for every j: the kernel behind Filter,
// dictionary decoding, mapping dictionary results through indices, and
// CASE's row subsets. Where idxValid (an aligned bitmap, nil for none) is
// unset the row is NULL whatever idx holds. It copies raw values by byte
// width, so one loop serves every fixed-width type; arrow's take kernels
// are the fallback for layouts Drover does not produce.
func gather(b *batch, src arrow.Array, idx []int32, idxValid []byte) (arrow.Array, error) {
	if idxValid != nil {
		idx = sanitize(idx, idxValid)
	}
	if d, ok := src.(*array.Dictionary); ok {
		ind, err := gather(b, d.Indices(), idx, idxValid)
		if err != nil {
			return nil, err
		}
		defer ind.Release()
		return array.NewDictionaryArray(d.DataType(), ind, d.Dictionary()), nil
	}
	if src.Len() == 0 || src.DataType().ID() == arrow.NULL {
		return array.MakeArrayOfNull(b.mem, src.DataType(), len(idx)), nil
	}
	valid, nulls := gatherValidity(b.mem, src, idx, idxValid)
	data, ok := gatherData(b.mem, src, idx)
	if !ok {
		if valid != nil {
			valid.Release()
		}
		return takeFallback(b, src, idx, idxValid)
	}
	return newArray(src.DataType(), len(idx), append([]*memory.Buffer{valid}, data...), nulls), nil
}

// sanitize points NULL rows at row 0 so their arbitrary indices are never
// dereferenced.
func sanitize(idx []int32, valid []byte) []int32 {
	out := make([]int32, len(idx))
	for j, i := range idx {
		if bitSet(valid, j) {
			out[j] = i
		}
	}
	return out
}

// gatherData copies the value buffers; ok is false for unhandled layouts.
func gatherData(mem memory.Allocator, src arrow.Array, idx []int32) ([]*memory.Buffer, bool) {
	switch dt := src.DataType().(type) {
	case *arrow.BooleanType:
		return []*memory.Buffer{gatherBits(mem, src, 1, idx)}, true
	case *arrow.StringType, *arrow.BinaryType:
		return gatherStrings(mem, src, idx), true
	case arrow.FixedWidthDataType:
		switch dt.BitWidth() {
		case 8:
			return []*memory.Buffer{gatherFixed[uint8](mem, src, idx)}, true
		case 16:
			return []*memory.Buffer{gatherFixed[uint16](mem, src, idx)}, true
		case 32:
			return []*memory.Buffer{gatherFixed[uint32](mem, src, idx)}, true
		case 64:
			return []*memory.Buffer{gatherFixed[uint64](mem, src, idx)}, true
		case 128:
			return []*memory.Buffer{gather128(mem, src, idx)}, true
		}
	}
	return nil, false
}

// rawValues views buffer 1 of a fixed-width array as T (offset applied).
func rawValues[T any](a arrow.Array) []T {
	d := a.Data()
	buf := d.Buffers()[1].Bytes()
	all := unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(buf))), d.Offset()+d.Len())
	return all[d.Offset():]
}

func gatherFixed[T any](mem memory.Allocator, src arrow.Array, idx []int32) *memory.Buffer {
	in := rawValues[T](src)
	var z T
	buf := newBuf(mem, len(idx)*int(unsafe.Sizeof(z)))
	if len(idx) == 0 {
		return buf
	}
	out := unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(buf.Bytes()))), len(idx))
	for j, i := range idx {
		out[j] = in[i]
	}
	return buf
}

// gather128 is gatherFixed for 16-byte values (decimals), written out
// because the generic version copies each value through memmove.
func gather128(mem memory.Allocator, src arrow.Array, idx []int32) *memory.Buffer {
	d := src.Data()
	raw := d.Buffers()[1].Bytes()
	in := unsafe.Slice((*uint64)(unsafe.Pointer(unsafe.SliceData(raw))), 2*(d.Offset()+d.Len()))[2*d.Offset():]
	buf := newBuf(mem, len(idx)*16)
	if len(idx) == 0 {
		return buf
	}
	out := unsafe.Slice((*uint64)(unsafe.Pointer(unsafe.SliceData(buf.Bytes()))), 2*len(idx))
	for j, i := range idx {
		out[2*j], out[2*j+1] = in[2*i], in[2*i+1]
	}
	return buf
}

// gatherBits gathers bitmap buffer k (0 validity, 1 bool data).
func gatherBits(mem memory.Allocator, src arrow.Array, k int, idx []int32) *memory.Buffer {
	in := src.Data().Buffers()[k].Bytes()
	off := int32(src.Data().Offset())
	buf := newBitmap(mem, len(idx))
	out := buf.Bytes()
	var tmp [chunk]bool
	for base := 0; base < len(idx); base += chunk {
		x := idx[base:min(base+chunk, len(idx))]
		r := tmp[:len(x)]
		for j, i := range x {
			i += off
			r[j] = in[i>>3]>>(i&7)&1 != 0
		}
		packBools(out, base, r)
	}
	return buf
}

// gatherValidity is NULL where the index is NULL or points at a NULL.
func gatherValidity(mem memory.Allocator, src arrow.Array, idx []int32, idxValid []byte) (*memory.Buffer, int) {
	var valid *memory.Buffer
	if src.NullN() > 0 {
		valid = gatherBits(mem, src, 0, idx)
	}
	if idxValid != nil {
		if valid == nil {
			valid = newBitmap(mem, len(idx))
			copy(valid.Bytes(), idxValid)
		} else {
			bitutil.BitmapAnd(valid.Bytes(), idxValid, 0, 0, valid.Bytes(), 0, int64(len(idx)))
		}
	}
	if valid == nil {
		return nil, 0
	}
	nulls := len(idx) - countBits(valid.Bytes(), len(idx))
	if nulls == 0 {
		valid.Release()
		return nil, 0
	}
	return valid, nulls
}

// gatherStrings builds offsets first, then copies the bytes of each run
// of consecutive rows at once.
func gatherStrings(mem memory.Allocator, src arrow.Array, idx []int32) []*memory.Buffer {
	d := src.Data()
	offs := arrow.Int32Traits.CastFromBytes(d.Buffers()[1].Bytes())[d.Offset():]
	var data []byte
	if buf := d.Buffers()[2]; buf != nil {
		data = buf.Bytes()
	}
	offBuf, out := allocFixed[int32](mem, len(idx)+1)
	total := int32(0)
	for j, i := range idx {
		out[j] = total
		total += offs[i+1] - offs[i]
	}
	out[len(idx)] = total
	dataBuf := newBuf(mem, int(total))
	dst := dataBuf.Bytes()
	for j := 0; j < len(idx); {
		k := j + 1 // rows idx[j:k] are consecutive: one copy
		for k < len(idx) && idx[k] == idx[k-1]+1 {
			k++
		}
		copy(dst[out[j]:out[k]], data[offs[idx[j]]:offs[idx[k-1]+1]])
		j = k
	}
	return []*memory.Buffer{offBuf, dataBuf}
}

func takeFallback(b *batch, src arrow.Array, idx []int32, idxValid []byte) (arrow.Array, error) {
	buf, out := allocFixed[int32](b.mem, len(idx))
	copy(out, idx)
	var valid *memory.Buffer
	nulls := 0
	if idxValid != nil {
		valid = newBitmap(b.mem, len(idx))
		copy(valid.Bytes(), idxValid)
		nulls = len(idx) - countBits(idxValid, len(idx))
	}
	ind := fixedArray(types.Int32Type, len(idx), buf, valid, nulls)
	defer ind.Release()
	return compute.TakeArray(b.cctx, src, ind)
}

// indicesOf returns the positions of the set bits of mask (n bits, cnt of
// them set), a 64-bit word at a time.
func indicesOf(mask []byte, n, cnt int) []int32 {
	idx := make([]int32, cnt)
	j := 0
	words := n / 64
	for w := range words {
		x := binary.LittleEndian.Uint64(mask[w*8:])
		for x != 0 {
			idx[j] = int32(w*64 + bits.TrailingZeros64(x))
			j++
			x &= x - 1
		}
	}
	for i := words * 64; i < n; i++ {
		if bitSet(mask, i) {
			idx[j] = int32(i)
			j++
		}
	}
	return idx[:j]
}

// indexArgs returns the positions and validity of an int32 index array.
func indexArgs(ind arrow.Array) ([]int32, []byte) {
	var valid []byte
	if ind.NullN() > 0 {
		valid = alignedBits(ind, 0)
	}
	return values[int32](ind), valid
}
