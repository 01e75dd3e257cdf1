package eval

import (
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// strArg reads a string operand that is a plain utf8 column or a constant.
type strArg struct {
	arr  *array.String
	s    string
	null bool
}

func newStrArg(d datum) strArg {
	if d.arr == nil {
		return strArg{s: d.val.S, null: d.val.Null}
	}
	return strArg{arr: d.arr.(*array.String)}
}

func (a strArg) at(i int) string {
	if a.arr == nil {
		return a.s
	}
	return a.arr.Value(i)
}

func (a strArg) isNull(i int) bool {
	if a.arr == nil {
		return a.null
	}
	return a.arr.IsNull(i)
}

// unsafeString views b as a string without copying; the caller keeps b
// unchanged while the string is in use.
func unsafeString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// newStringBuilder returns a builder sized for n rows of about dataHint
// bytes in total.
func newStringBuilder(mem memory.Allocator, n, dataHint int) *array.StringBuilder {
	bld := array.NewStringBuilder(mem)
	bld.Reserve(n)
	bld.ReserveData(dataHint)
	return bld
}

// dataLen is the byte size of a string column's values.
func dataLen(s *array.String) int {
	offs := s.ValueOffsets()
	if len(offs) == 0 {
		return 0
	}
	return int(offs[len(offs)-1] - offs[0])
}
