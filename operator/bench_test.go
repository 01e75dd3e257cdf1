package operator

import (
	"context"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/types"
)

const benchRows = 1 << 20

// benchBatches makes benchRows rows of (k int64 in [0, groups), v float64)
// in 64K-row batches.
func benchBatches(groups int) (*types.Schema, []arrow.RecordBatch) {
	schema := &types.Schema{Fields: []types.Field{{Name: "k", Type: types.Int64Type}, {Name: "v", Type: types.Float64Type}}}
	rng := rand.New(rand.NewPCG(1, 1))
	var recs []arrow.RecordBatch
	for lo := 0; lo < benchRows; lo += DefaultBatchRows {
		kb, vb := array.NewInt64Builder(mem), array.NewFloat64Builder(mem)
		for i := 0; i < DefaultBatchRows; i++ {
			kb.Append(int64(rng.IntN(groups)))
			vb.Append(rng.Float64())
		}
		k, v := kb.NewArray(), vb.NewArray()
		recs = append(recs, array.NewRecordBatch(schema.Arrow(), []arrow.Array{k, v}, DefaultBatchRows))
		k.Release()
		v.Release()
	}
	return schema, recs
}

func drainBench(b *testing.B, r batch.Reader) {
	for {
		rec, err := r.Next(context.Background())
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		rec.Release()
	}
	r.Close()
}

func benchAgg(b *testing.B, groups int) {
	schema, recs := benchBatches(groups)
	group := []*expr.Expr{expr.BoundCol(0, schema.Fields[0])}
	aggs := []logical.AggExpr{
		{Func: expr.AggSum, Arg: expr.BoundCol(1, schema.Fields[1]), Name: "s", Type: types.Float64Type},
		{Func: expr.AggCountStar, Name: "n", Type: types.Int64Type},
	}
	out := physical.PartialSchema(group, aggs)
	b.SetBytes(benchRows * 16)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h, err := newHashAgg(&physical.Node{Op: physical.OpHashAgg, Schema: out,
			Agg: &physical.AggSpec{Mode: physical.AggPartial, GroupBy: group, Aggs: aggs}}, source(schema, recs...), &Env{})
		if err != nil {
			b.Fatal(err)
		}
		drainBench(b, h)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchRows), "ns/row")
}

func BenchmarkHashAggFewGroups(b *testing.B)  { benchAgg(b, 4) }
func BenchmarkHashAggManyGroups(b *testing.B) { benchAgg(b, 1<<18) }

// BenchmarkHashJoin probes 1M rows against a 64K-row build side.
func BenchmarkHashJoin(b *testing.B) {
	schema, probe := benchBatches(1 << 16)
	_, build := benchBatches(1 << 16)
	buildRec := build[0] // 64K rows, keys drawn from the same range
	spec := &physical.JoinSpec{Type: logical.InnerJoin,
		LeftKeys: []*expr.Expr{expr.BoundCol(0, schema.Fields[0])}, RightKeys: []*expr.Expr{expr.BoundCol(0, schema.Fields[0])}}
	out := schema.Concat(schema)
	b.SetBytes(benchRows * 16)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		j := &joinOp{probe: source(schema, probe...), buildIn: source(schema, buildRec), spec: spec, schema: out.Arrow()}
		if err := j.compile(&Env{}); err != nil {
			b.Fatal(err)
		}
		drainBench(b, j)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchRows), "ns/row")
}

// BenchmarkHashAggFinal aggregates 1M rows into 256K groups in Complete
// mode: with an unlimited pool, and with one of 4 MiB that makes it spill
// (partitioned states to disk, then partition by partition).
func BenchmarkHashAggFinal(b *testing.B) {
	for _, bc := range []struct {
		name  string
		limit int64
	}{{"in-memory", 0}, {"spilling", 4 << 20}} {
		b.Run(bc.name, func(b *testing.B) { benchFinalAgg(b, bc.limit) })
	}
}

func benchFinalAgg(b *testing.B, limit int64) {
	schema, recs := benchBatches(1 << 18)
	group := []*expr.Expr{expr.BoundCol(0, schema.Fields[0])}
	aggs := []logical.AggExpr{
		{Func: expr.AggSum, Arg: expr.BoundCol(1, schema.Fields[1]), Name: "s", Type: types.Float64Type},
		{Func: expr.AggCountStar, Name: "n", Type: types.Int64Type},
	}
	out := &types.Schema{Fields: []types.Field{schema.Fields[0], {Name: "s", Type: types.Float64Type}, {Name: "n", Type: types.Int64Type}}}
	b.SetBytes(benchRows * 16)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		env := &Env{Pool: memory.NewPool(limit), TempDir: b.TempDir()}
		h, err := newHashAgg(&physical.Node{Op: physical.OpHashAgg, Schema: out,
			Agg: &physical.AggSpec{Mode: physical.AggComplete, GroupBy: group, Aggs: aggs}}, source(schema, retain(recs)...), env)
		if err != nil {
			b.Fatal(err)
		}
		drainBench(b, h)
		if limit > 0 && env.Spilled.Load() == 0 {
			b.Fatal("nothing spilled")
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchRows), "ns/row")
}

// BenchmarkSumDecimal folds 64K decimal(15,2) values (TPC-H prices) into
// 4 groups: the overflow check is most of the work per value.
func BenchmarkSumDecimal(b *testing.B) {
	acc, err := newSum(types.DecimalOf(15, 2))
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 5))
	db := array.NewDecimal128Builder(mem, &arrow.Decimal128Type{Precision: 15, Scale: 2})
	gids := make([]int32, DefaultBatchRows)
	for i := range gids {
		db.Append(decimal128.FromI64(rng.Int64N(10_000_000)))
		gids[i] = int32(rng.IntN(4))
	}
	col := db.NewArray()
	defer col.Release()
	acc.grow(4)
	b.ResetTimer()
	for b.Loop() {
		if err := acc.update(gids, col); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*DefaultBatchRows), "ns/row")
}
