package eval

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// TestTakeColumnsMatchesArrowTake compares TakeColumns with arrow's take
// kernel on every layout the operators gather, sliced and with NULLs.
func TestTakeColumnsMatchesArrowTake(t *testing.T) {
	mem := memory.DefaultAllocator
	r := rand.New(rand.NewPCG(3, 4))
	const n = 3000
	ib := array.NewInt64Builder(mem)
	sb := array.NewStringBuilder(mem)
	db := array.NewDecimal128Builder(mem, &arrow.Decimal128Type{Precision: 15, Scale: 2})
	bb := array.NewBooleanBuilder(mem)
	tb := array.NewDate32Builder(mem)
	for i := range n {
		null := r.IntN(7) == 0
		if null {
			ib.AppendNull()
			sb.AppendNull()
			db.AppendNull()
			bb.AppendNull()
			tb.AppendNull()
			continue
		}
		ib.Append(int64(i) * 31)
		sb.Append(string(rune('a'+i%26)) + "-value")
		db.Append(decimal128.FromI64(int64(i) - 1500))
		bb.Append(i%3 == 0)
		tb.Append(arrow.Date32(i))
	}
	dictType := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	dict := array.NewDictionaryBuilder(mem, dictType).(*array.BinaryDictionaryBuilder)
	for i := range n {
		dict.AppendString([]string{"x", "y", "z"}[i%3])
	}
	cols := []arrow.Array{ib.NewArray(), sb.NewArray(), db.NewArray(), bb.NewArray(), tb.NewArray(), dict.NewArray()}
	for i, c := range cols {
		cols[i] = array.NewSlice(c, 17, int64(n-5)) // non-zero offsets
	}
	idx := make([]int32, 5000)
	for i := range idx {
		idx[i] = int32(r.IntN(n - 22))
	}
	for i := 100; i < 200; i++ {
		idx[i] = 100 + int32(i-100)%50 // runs of consecutive rows
	}
	got, err := TakeColumns(context.Background(), cols, idx)
	if err != nil {
		t.Fatal(err)
	}
	ia := array.NewInt32Builder(mem)
	ia.AppendValues(idx, nil)
	ind := ia.NewArray()
	for i, c := range cols {
		want, err := compute.TakeArray(context.Background(), c, ind)
		if err != nil {
			t.Fatal(err)
		}
		if !array.Equal(got[i], want) {
			t.Errorf("column %d (%s): TakeColumns differs from arrow's take", i, c.DataType())
		}
	}
}
