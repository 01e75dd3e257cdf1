package operator

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/expr/eval"
)

// BenchmarkAvgDecimalSel: avg of a decimal column over a selection of 1%
// and 90% of a batch: folded in place (updateSel), through a conversion of
// the whole column (as updateSel did first), and gathered first.
func BenchmarkAvgDecimalSel(b *testing.B) {
	for _, pct := range []int{1, 90} {
		rng := rand.New(rand.NewPCG(5, 5))
		db := array.NewDecimal128Builder(mem, &arrow.Decimal128Type{Precision: 15, Scale: 2})
		var sel []int32
		for i := range DefaultBatchRows {
			db.Append(decimal128.FromI64(rng.Int64N(10_000_000)))
			if rng.IntN(100) < pct {
				sel = append(sel, int32(i))
			}
		}
		col := db.NewArray()
		defer col.Release()
		gids := make([]int32, len(sel))
		b.Run(fmt.Sprintf("%d%%/inplace", pct), func(b *testing.B) {
			acc := &avgAcc{}
			acc.grow(1)
			for b.Loop() {
				if err := acc.updateSel(gids, col, sel); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("%d%%/wholecolumn", pct), func(b *testing.B) {
			acc := &avgAcc{}
			acc.grow(1)
			for b.Loop() {
				vals, err := float64ValuesInto(col, &acc.scratch)
				if err != nil {
					b.Fatal(err)
				}
				for j, g := range gids {
					acc.sums[g] += vals[sel[j]]
					acc.counts[g]++
				}
			}
		})
		b.Run(fmt.Sprintf("%d%%/gather", pct), func(b *testing.B) {
			acc := &avgAcc{}
			acc.grow(1)
			for b.Loop() {
				taken, err := eval.TakeColumns(context.Background(), []arrow.Array{col}, sel)
				if err != nil {
					b.Fatal(err)
				}
				if err := acc.update(gids, taken[0]); err != nil {
					b.Fatal(err)
				}
				taken[0].Release()
			}
		})
	}
}
