package eval

import (
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/types"
)

// fixed are the value types of the fixed-width columns kernels handle:
// int32 (also dates), int64 (also timestamps), floats and decimal128.
type fixed interface {
	~int32 | ~int64 | ~float32 | ~float64 | ~uint8 | decimal128.Num
}

func newBuf(mem memory.Allocator, size int) *memory.Buffer {
	buf := memory.NewResizableBuffer(mem)
	buf.Resize(size)
	return buf
}

// allocFixed returns a buffer for n values of T and the values as a slice.
func allocFixed[T fixed](mem memory.Allocator, n int) (*memory.Buffer, []T) {
	var z T
	buf := newBuf(mem, n*int(unsafe.Sizeof(z)))
	if n == 0 {
		return buf, nil
	}
	return buf, unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(buf.Bytes()))), n)
}

// values returns the value slice of a fixed-width array (offset applied).
func values[T fixed](a arrow.Array) []T {
	d := a.Data()
	buf := d.Buffers()[1]
	if buf == nil || a.Len() == 0 {
		return nil
	}
	all := unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(buf.Bytes()))), d.Offset()+d.Len())
	return all[d.Offset():]
}

// newBitmap returns a zeroed bitmap buffer for n bits.
func newBitmap(mem memory.Allocator, n int) *memory.Buffer {
	buf := newBuf(mem, int(bitutil.BytesForBits(int64(n))))
	clear(buf.Bytes())
	return buf
}

// newArray wraps buffers as an array, taking over the caller's references.
func newArray(dt arrow.DataType, n int, bufs []*memory.Buffer, nulls int) arrow.Array {
	data := array.NewData(dt, n, bufs, nil, nulls, 0)
	for _, b := range bufs {
		if b != nil {
			b.Release()
		}
	}
	defer data.Release()
	return array.MakeFromData(data)
}

// fixedArray builds an array of type t from values and validity.
func fixedArray(t types.Type, n int, vals, valid *memory.Buffer, nulls int) arrow.Array {
	if nulls == 0 && valid != nil {
		valid.Release()
		valid = nil
	}
	return newArray(t.Arrow(), n, []*memory.Buffer{valid, vals}, nulls)
}

// boolArray builds a boolean array from a data bitmap and validity.
func boolArray(n int, data, valid *memory.Buffer, nulls int) arrow.Array {
	return fixedArray(types.BoolType, n, data, valid, nulls)
}

// validAnd returns the validity bitmap of rows valid in every array given
// (nil arrays are constants and count as valid), or nil and 0 nulls when
// none has nulls. This is the result validity of a NULL-propagating kernel.
func validAnd(mem memory.Allocator, n int, arrs ...arrow.Array) (*memory.Buffer, int) {
	var buf *memory.Buffer
	for _, a := range arrs {
		if a == nil || a.NullN() == 0 {
			continue
		}
		if buf == nil {
			buf = newBitmap(mem, n)
			copyValidity(a, buf.Bytes())
			continue
		}
		andValidity(a, buf.Bytes())
	}
	if buf == nil {
		return nil, 0
	}
	return buf, n - bitutil.CountSetBits(buf.Bytes(), 0, n)
}

func copyValidity(a arrow.Array, dst []byte) {
	if src := a.NullBitmapBytes(); src != nil {
		bitutil.CopyBitmap(src, a.Data().Offset(), a.Len(), dst, 0)
	} else if a.NullN() == a.Len() {
		clear(dst)
	}
}

func andValidity(a arrow.Array, dst []byte) {
	if src := a.NullBitmapBytes(); src != nil {
		bitutil.BitmapAnd(dst, src, 0, int64(a.Data().Offset()), dst, 0, int64(a.Len()))
	} else if a.NullN() == a.Len() {
		clear(dst)
	}
}

// operand returns a datum's values and a stride: 1 for a column, 0 for a
// constant held in a one-element slice, so binary kernels index x[i*stride]
// and need no separate scalar variants.
func operand[T fixed](d datum) ([]T, int) {
	if d.arr == nil {
		return []T{scalarAs[T](d.val)}, 0
	}
	return values[T](d.arr), 1
}

// scalarAs extracts a constant's payload as T (zero for NULL).
func scalarAs[T fixed](v types.Value) T {
	var z T
	switch p := any(&z).(type) {
	case *int32:
		*p = int32(v.I)
	case *int64:
		*p = v.I
	case *float32:
		*p = float32(v.F)
	case *float64:
		*p = v.F
	case *decimal128.Num:
		*p = v.Decimal128()
	case *uint8:
		if v.B {
			*p = 1
		}
	}
	return z
}

// isValid reports whether row i of a (nil: a constant) is non-NULL. Loops
// call it only on their slow path, after a row looked erroneous.
func isValid(a arrow.Array, i int) bool { return a == nil || a.IsValid(i) }
