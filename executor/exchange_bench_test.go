package executor

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"syscall"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// BenchmarkRangePartition routes 1M rows of (string, int64) into 16 range
// partitions by one int key and by (string, int).
func BenchmarkRangePartition(b *testing.B) {
	const rows, batchRows, parts = 1 << 20, 1 << 16, 16
	schema := &types.Schema{Fields: []types.Field{{Name: "s", Type: types.StringType}, {Name: "k", Type: types.Int64Type}}}
	rng := rand.New(rand.NewPCG(7, 8))
	var recs []arrow.RecordBatch
	for lo := 0; lo < rows; lo += batchRows {
		sb, kb := array.NewStringBuilder(memory.DefaultAllocator), array.NewInt64Builder(memory.DefaultAllocator)
		for range batchRows {
			sb.Append(fmt.Sprintf("Customer#%09d", rng.IntN(10000)))
			kb.Append(int64(rng.IntN(1 << 30)))
		}
		s, k := sb.NewArray(), kb.NewArray()
		recs = append(recs, array.NewRecordBatch(schema.Arrow(), []arrow.Array{s, k}, batchRows))
		s.Release()
		k.Release()
	}
	for _, tc := range []struct {
		name string
		cols []int
	}{{"int", []int{1}}, {"string,int", []int{0, 1}}} {
		b.Run(tc.name, func(b *testing.B) {
			var keys []logical.SortKey
			for _, c := range tc.cols {
				keys = append(keys, logical.SortKey{Expr: expr.BoundCol(c, schema.Fields[c])})
			}
			// bounds: every 1/16th of a sorted sample of the first batch
			var sample [][]types.Value
			for i := 0; i < batchRows; i += 64 {
				row := make([]types.Value, len(tc.cols))
				for j, c := range tc.cols {
					if c == 0 {
						row[j] = types.StringValue(recs[0].Column(0).(*array.String).Value(i))
					} else {
						row[j] = types.Int64Value(recs[0].Column(1).(*array.Int64).Value(i))
					}
				}
				sample = append(sample, row)
			}
			slices.SortFunc(sample, func(x, y []types.Value) int { return logical.CompareKeyRows(x, y, keys) })
			var bounds [][]types.Value
			for p := 1; p < parts; p++ {
				bounds = append(bounds, sample[p*len(sample)/parts])
			}
			cols := make([][]arrow.Array, len(recs))
			for i, r := range recs {
				for _, c := range tc.cols {
					cols[i] = append(cols[i], r.Column(c))
				}
			}
			b.Run("boxed", func(b *testing.B) {
				cpu0 := cpuNanos()
				for b.Loop() {
					for _, c := range cols {
						rangePartsBoxed(make([]int, batchRows), c, bounds, keys)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows), "ns/row")
				b.ReportMetric(float64(cpuNanos()-cpu0)/float64(b.N*rows), "cpu-ns/row")
			})
			b.Run("normalized", func(b *testing.B) {
				cpu0 := cpuNanos()
				for b.Loop() {
					rp := &rangeParts{bounds: bounds, keys: keys}
					for _, c := range cols {
						rp.of(c, batchRows)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows), "ns/row")
				b.ReportMetric(float64(cpuNanos()-cpu0)/float64(b.N*rows), "cpu-ns/row")
			})
		})
	}
}

// cpuNanos is the process's user+system CPU time: on a shared machine
// wall time measures the neighbours, CPU time measures the code.
func cpuNanos() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}
