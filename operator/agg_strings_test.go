package operator

import (
	"testing"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// TestKeptStringsAreCopiesAndCounted: min/max and first/last keep copies
// of string cells (not views into the batch's buffer, which would keep
// the batch alive unseen by the memory budget) and count their bytes.
func TestKeptStringsAreCopiesAndCounted(t *testing.T) {
	b := array.NewStringBuilder(mem)
	b.AppendValues([]string{"pear", "apple", "fig"}, nil)
	col := b.NewStringArray()
	b.Release()
	defer col.Release()
	inBuffer := func(s string) bool {
		data := col.ValueBytes()
		p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
		lo := uintptr(unsafe.Pointer(&data[0]))
		return p >= lo && p < lo+uintptr(len(data))
	}
	mm, _ := newMinMax(types.StringType, false)
	last, _ := newValueAcc(expr.AggLast, types.StringType)
	for _, acc := range []accumulator{mm, last} {
		acc.grow(1)
		if err := acc.update([]int32{0, 0, 0}, col); err != nil {
			t.Fatal(err)
		}
	}
	m := mm.(*minMax[string])
	if m.vals[0] != "apple" || inBuffer(m.vals[0]) || m.bytes() != int64(len("apple")) {
		t.Fatalf("min kept %q (in the batch buffer: %v), counted %d bytes", m.vals[0], inBuffer(m.vals[0]), m.bytes())
	}
	l := last.(*valueAcc[string])
	if l.vals[0] != "fig" || inBuffer(l.vals[0]) || l.bytes() != int64(len("fig")) {
		t.Fatalf("last kept %q (in the batch buffer: %v), counted %d bytes", l.vals[0], inBuffer(l.vals[0]), l.bytes())
	}
	n, _ := newMinMax(types.Int64Type, false)
	if n.(sizer).bytes() != 0 {
		t.Fatal("an int64 min counts string bytes")
	}
}
