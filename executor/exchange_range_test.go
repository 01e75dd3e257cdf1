package executor

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// randRangeColumn makes n cells of kind with NULLs, NaN, ±0, empty
// strings and strings sharing long prefixes.
func randRangeColumn(r *rand.Rand, kind string, n int) arrow.Array {
	switch kind {
	case "int64":
		b := array.NewInt64Builder(memory.DefaultAllocator)
		defer b.Release()
		for range n {
			if r.IntN(9) == 0 {
				b.AppendNull()
			} else {
				b.Append([]int64{math.MinInt64, math.MaxInt64, 0, int64(r.IntN(30) - 15)}[r.IntN(4)])
			}
		}
		return b.NewArray()
	case "float64":
		b := array.NewFloat64Builder(memory.DefaultAllocator)
		defer b.Release()
		for range n {
			if r.IntN(9) == 0 {
				b.AppendNull()
			} else {
				b.Append([]float64{math.NaN(), math.Copysign(0, -1), 0, math.Inf(-1), math.Inf(1), float64(r.IntN(10)) - 4.5}[r.IntN(6)])
			}
		}
		return b.NewArray()
	default:
		b := array.NewStringBuilder(memory.DefaultAllocator)
		defer b.Release()
		for range n {
			if r.IntN(9) == 0 {
				b.AppendNull()
			} else {
				b.Append([]string{"", "a", "a\x00", "ab", "prefix-prefix-prefix-", "prefix-prefix-prefix-z", "b"}[r.IntN(7)] + fmt.Sprint(r.IntN(3)))
			}
		}
		return b.NewArray()
	}
}

// TestRangePartsNormalizedMatchBoxed checks that range partitioning over
// normalized keys gives every row the partition the boxed comparison
// gives it, for random key types, directions, NULL placements and bounds
// (NULL and NaN bounds included).
func TestRangePartsNormalizedMatchBoxed(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	kinds := []string{"int64", "float64", "string"}
	const n = 3000
	for trial := range 40 {
		ncols := 1 + r.IntN(3)
		cols := make([]arrow.Array, ncols)
		keys := make([]logical.SortKey, ncols)
		for i := range cols {
			cols[i] = randRangeColumn(r, kinds[r.IntN(len(kinds))], n)
			keys[i] = logical.SortKey{Desc: r.IntN(2) == 0, NullsFirst: r.IntN(2) == 0}
		}
		// bounds: sorted sample rows
		var bounds [][]types.Value
		for range 1 + r.IntN(12) {
			i := r.IntN(n)
			row := make([]types.Value, ncols)
			for c, col := range cols {
				row[c] = eval.ValueAt(col, i)
			}
			bounds = append(bounds, row)
		}
		slices.SortFunc(bounds, func(a, b []types.Value) int { return logical.CompareKeyRows(a, b, keys) })
		want := make([]int, n)
		rangePartsBoxed(want, cols, bounds, keys)
		rp := &rangeParts{bounds: bounds, keys: keys}
		if got := rp.of(cols, n); !slices.Equal(got, want) {
			t.Fatalf("trial %d: normalized partitions differ from boxed ones", trial)
		}
		if rp.failed || rp.norm == nil {
			t.Fatalf("trial %d: bounds were not normalized", trial)
		}
		releaseCols(cols)
	}
}
