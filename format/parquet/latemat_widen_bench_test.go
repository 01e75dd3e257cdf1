package parquetfmt

import (
	"context"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/expr/eval"
)

// BenchmarkWidenSelected widens 98% of a 122,880-row INT64 decimal batch
// (Q1's selection): gathered then widened (before) or both in one pass.
func BenchmarkWidenSelected(b *testing.B) {
	const n = 122_880
	ib := array.NewInt64Builder(mem)
	for i := range n {
		ib.Append(int64(i) * 37)
	}
	col := ib.NewArray()
	defer col.Release()
	var sel []int32
	for i := range n {
		if i%50 != 0 {
			sel = append(sel, int32(i))
		}
	}
	out := &arrow.Decimal128Type{Precision: 15, Scale: 2}
	b.Run("gather+widen", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			t, err := eval.TakeColumns(context.Background(), []arrow.Array{col}, sel)
			if err != nil {
				b.Fatal(err)
			}
			w := widenDecimal[int64](t[0], out)
			t[0].Release()
			w.Release()
		}
	})
	b.Run("one pass", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			widenDecimalSel(col, out, sel).Release()
		}
	})
}
