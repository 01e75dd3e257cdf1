package operator

import (
	"fmt"
	"math/rand/v2"
	"syscall"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/types"
)

// sortBenchBatches makes benchRows rows of (s string, k int64, v float64)
// in 64K-row batches: s from 10,000 values sharing a 9-byte prefix.
func sortBenchBatches() (*types.Schema, []arrow.RecordBatch) {
	schema := &types.Schema{Fields: []types.Field{
		{Name: "s", Type: types.StringType}, {Name: "k", Type: types.Int64Type}, {Name: "v", Type: types.Float64Type}}}
	rng := rand.New(rand.NewPCG(5, 6))
	var recs []arrow.RecordBatch
	for lo := 0; lo < benchRows; lo += DefaultBatchRows {
		sb, kb, vb := array.NewStringBuilder(mem), array.NewInt64Builder(mem), array.NewFloat64Builder(mem)
		for i := 0; i < DefaultBatchRows; i++ {
			sb.Append(fmt.Sprintf("Customer#%09d", rng.IntN(10000)))
			kb.Append(int64(rng.IntN(1 << 30)))
			vb.Append(rng.Float64())
		}
		cols := []arrow.Array{sb.NewArray(), kb.NewArray(), vb.NewArray()}
		recs = append(recs, array.NewRecordBatch(schema.Arrow(), cols, DefaultBatchRows))
		releaseAll(cols)
	}
	return schema, recs
}

func benchSort(b *testing.B, keyCols []int, budget int64) {
	schema, recs := sortBenchBatches()
	var keys []logical.SortKey
	for _, c := range keyCols {
		keys = append(keys, logical.SortKey{Expr: expr.BoundCol(c, schema.Fields[c])})
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuNanos()
	for i := 0; i < b.N; i++ {
		env := &Env{MemoryBytes: budget, TempDir: b.TempDir()}
		s, err := newSort(&physical.Node{Op: physical.OpSort, Schema: schema, Sort: &physical.SortSpec{Keys: keys}}, source(schema, recs...), env)
		if err != nil {
			b.Fatal(err)
		}
		drainBench(b, s)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchRows), "ns/row")
	reportCPU(b, cpu0, benchRows)
}

// BenchmarkSort1M sorts 1M rows in memory by one int key and by (string,
// int); Spill8 gives the sort a budget that makes about 8 runs to merge.
// Each runs with normalized keys and with the comparators (both with the
// loser-tree merge).
func BenchmarkSort1M(b *testing.B) {
	for _, norm := range []bool{true, false} {
		name := map[bool]string{true: "normalized", false: "comparators"}[norm]
		b.Run(name, func(b *testing.B) {
			defer func(old bool) { normalizedKeys = old }(normalizedKeys)
			normalizedKeys = norm
			b.Run("int", func(b *testing.B) { benchSort(b, []int{1}, 0) })
			b.Run("string,int", func(b *testing.B) { benchSort(b, []int{0, 1}, 0) })
			b.Run("spill8/int", func(b *testing.B) { benchSort(b, []int{1}, 5<<20) })
			b.Run("spill8/string,int", func(b *testing.B) { benchSort(b, []int{0, 1}, 15<<19) })
		})
	}
}

// BenchmarkSortPermutation1M times the permutation alone over 1M rows.
func BenchmarkSortPermutation1M(b *testing.B) {
	_, recs := sortBenchBatches()
	cols, n, err := concatRecords(recs[0].Schema(), recs)
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		cols []arrow.Array
	}{{"int", cols[1:2]}, {"string,int", cols[:2]}} {
		keys := make([]logical.SortKey, len(tc.cols))
		b.Run(tc.name+"/normalized", func(b *testing.B) {
			cpu0 := cpuNanos()
			for b.Loop() {
				normPermutation(tc.cols, keys, n)
			}
			reportCPU(b, cpu0, n)
		})
		b.Run(tc.name+"/comparators", func(b *testing.B) {
			cpu0 := cpuNanos()
			for b.Loop() {
				cmpPermutation(tc.cols, keys, n)
			}
			reportCPU(b, cpu0, n)
		})
	}
}

// BenchmarkFilterAgg runs filter (a < sel) → project → partial hash
// aggregation (sum, count by k, 4 groups) over 1M rows of (k, v, a, b),
// Q6-style: the filter column is not read above the filter. The project
// is (k, v*2) ("expr") or (k, v) ("cols"); each runs with selection
// vectors and with gathered batches.
func BenchmarkFilterAgg(b *testing.B) {
	schema := &types.Schema{Fields: []types.Field{{Name: "k", Type: types.Int64Type}, {Name: "v", Type: types.Float64Type},
		{Name: "a", Type: types.Float64Type}, {Name: "b", Type: types.Float64Type}}}
	rng := rand.New(rand.NewPCG(1, 1))
	var recs []arrow.RecordBatch
	for lo := 0; lo < benchRows; lo += DefaultBatchRows {
		kb, vb, ab, bb := array.NewInt64Builder(mem), array.NewFloat64Builder(mem), array.NewFloat64Builder(mem), array.NewFloat64Builder(mem)
		for i := 0; i < DefaultBatchRows; i++ {
			kb.Append(int64(rng.IntN(4)))
			vb.Append(rng.Float64())
			ab.Append(rng.Float64())
			bb.Append(rng.Float64())
		}
		cols := []arrow.Array{kb.NewArray(), vb.NewArray(), ab.NewArray(), bb.NewArray()}
		recs = append(recs, array.NewRecordBatch(schema.Arrow(), cols, DefaultBatchRows))
		releaseAll(cols)
	}
	k, v, a := expr.BoundCol(0, schema.Fields[0]), expr.BoundCol(1, schema.Fields[1]), expr.BoundCol(2, schema.Fields[2])
	dbl := expr.Call(expr.FnMul, v, expr.Lit(types.Float64Value(2)))
	dbl.Type = types.Float64Type
	projSchema := &types.Schema{Fields: []types.Field{schema.Fields[0], {Name: "d", Type: types.Float64Type}}}
	group := []*expr.Expr{expr.BoundCol(0, projSchema.Fields[0])}
	aggs := []logical.AggExpr{
		{Func: expr.AggSum, Arg: expr.BoundCol(1, projSchema.Fields[1]), Name: "s", Type: types.Float64Type},
		{Func: expr.AggCountStar, Name: "n", Type: types.Int64Type},
	}
	out := physical.PartialSchema(group, aggs)
	for _, proj := range []string{"expr", "cols"} {
		exprs := []*expr.Expr{k, dbl}
		if proj == "cols" {
			exprs = []*expr.Expr{k, v}
		}
		for _, sel := range []float64{0.1, 0.5, 0.9} {
			for _, vec := range []bool{true, false} {
				name := fmt.Sprintf("%s/sel=%.0f%%/%s", proj, sel*100, map[bool]string{true: "selection", false: "gather"}[vec])
				b.Run(name, func(b *testing.B) {
					defer func(old bool) { selectionVectors = old }(selectionVectors)
					selectionVectors = vec
					pred := expr.Call(expr.FnLt, a, expr.Lit(types.Float64Value(sel)))
					pred.Type = types.BoolType
					b.SetBytes(benchRows * 32)
					b.ResetTimer()
					cpu0 := cpuNanos()
					for i := 0; i < b.N; i++ {
						env := &Env{}
						f, err := newFilter(&physical.Node{Op: physical.OpFilter, Schema: schema, Filter: pred}, source(schema, recs...), env)
						if err != nil {
							b.Fatal(err)
						}
						p, err := newProject(&physical.Node{Op: physical.OpProject, Schema: projSchema,
							Project: &physical.ProjectSpec{Exprs: exprs}}, f, env)
						if err != nil {
							b.Fatal(err)
						}
						h, err := newHashAgg(&physical.Node{Op: physical.OpHashAgg, Schema: out,
							Agg: &physical.AggSpec{Mode: physical.AggPartial, GroupBy: group, Aggs: aggs}}, p, env)
						if err != nil {
							b.Fatal(err)
						}
						drainBench(b, h)
					}
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchRows), "ns/row")
					reportCPU(b, cpu0, benchRows)
				})
			}
		}
	}
}

// cpuNanos is the process's user+system CPU time: on a shared machine
// wall time measures the neighbours, CPU time measures the code.
func cpuNanos() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// reportCPU reports CPU nanoseconds per row since start.
func reportCPU(b *testing.B, start int64, rows int) {
	b.ReportMetric(float64(cpuNanos()-start)/float64(b.N*rows), "cpu-ns/row")
}
