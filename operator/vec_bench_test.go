package operator

import (
	"fmt"
	"math/rand/v2"
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
	for i := 0; i < b.N; i++ {
		env := &Env{MemoryBytes: budget, TempDir: b.TempDir()}
		s, err := newSort(&physical.Node{Op: physical.OpSort, Schema: schema, Sort: &physical.SortSpec{Keys: keys}}, source(schema, recs...), env)
		if err != nil {
			b.Fatal(err)
		}
		drainBench(b, s)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchRows), "ns/row")
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
			b.Run("spill8/int", func(b *testing.B) { benchSort(b, []int{1}, 7<<20) })
			b.Run("spill8/string,int", func(b *testing.B) { benchSort(b, []int{0, 1}, 10<<20) })
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
			for b.Loop() {
				normPermutation(tc.cols, keys, n)
			}
		})
		b.Run(tc.name+"/comparators", func(b *testing.B) {
			for b.Loop() {
				cmpPermutation(tc.cols, keys, n)
			}
		})
	}
}

// BenchmarkFilterAgg runs filter (v < sel) → project (k, v*2) → partial
// hash aggregation (sum, count by k, 4 groups) over 1M rows.
func BenchmarkFilterAgg(b *testing.B) {
	schema, recs := benchBatches(4)
	for _, sel := range []float64{0.1, 0.5, 0.9} {
		b.Run(fmt.Sprintf("sel=%.0f%%", sel*100), func(b *testing.B) {
			k, v := expr.BoundCol(0, schema.Fields[0]), expr.BoundCol(1, schema.Fields[1])
			pred := expr.Call(expr.FnLt, v, expr.Lit(types.Float64Value(sel)))
			pred.Type = types.BoolType
			dbl := expr.Call(expr.FnMul, v, expr.Lit(types.Float64Value(2)))
			dbl.Type = types.Float64Type
			projSchema := &types.Schema{Fields: []types.Field{schema.Fields[0], {Name: "d", Type: types.Float64Type}}}
			group := []*expr.Expr{expr.BoundCol(0, projSchema.Fields[0])}
			aggs := []logical.AggExpr{
				{Func: expr.AggSum, Arg: expr.BoundCol(1, projSchema.Fields[1]), Name: "s", Type: types.Float64Type},
				{Func: expr.AggCountStar, Name: "n", Type: types.Int64Type},
			}
			out := physical.PartialSchema(group, aggs)
			b.SetBytes(benchRows * 16)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				env := &Env{}
				f, err := newFilter(&physical.Node{Op: physical.OpFilter, Schema: schema, Filter: pred}, source(schema, recs...), env)
				if err != nil {
					b.Fatal(err)
				}
				p, err := newProject(&physical.Node{Op: physical.OpProject, Schema: projSchema,
					Project: &physical.ProjectSpec{Exprs: []*expr.Expr{k, dbl}}}, f, env)
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
		})
	}
}
