package operator

import (
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/types"
)

// benchJoinType probes 1M rows against a 64K-row build side with keys
// drawn from a range twice the build's, so half the rows on each side
// match nothing: the outer joins' unmatched paths run too.
func benchJoinType(b *testing.B, typ logical.JoinType) {
	schema, probe := benchBatches(1 << 17)
	_, build := benchBatches(1 << 16)
	spec := &physical.JoinSpec{Type: typ, MarkName: "m",
		LeftKeys: []*expr.Expr{expr.BoundCol(0, schema.Fields[0])}, RightKeys: []*expr.Expr{expr.BoundCol(0, schema.Fields[0])}}
	out := (&logical.Join{Left: schemaNode{schema}, Right: schemaNode{schema}, Type: typ, MarkName: "m"}).Schema()
	b.SetBytes(benchRows * 16)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		j := &joinOp{probe: source(schema, probe...), buildIn: source(schema, build[0]), spec: spec, schema: out.Arrow()}
		if err := j.compile(&Env{}); err != nil {
			b.Fatal(err)
		}
		drainBench(b, j)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchRows), "ns/row")
}

func BenchmarkHashJoinLeft(b *testing.B) { benchJoinType(b, logical.LeftJoin) }
func BenchmarkHashJoinFull(b *testing.B) { benchJoinType(b, logical.FullJoin) }
func BenchmarkHashJoinMark(b *testing.B) { benchJoinType(b, logical.MarkJoin) }

// BenchmarkNestedLoopJoin joins 1M rows with 64 rows on a < filter: 64M
// pairs evaluated in chunks.
func BenchmarkNestedLoopJoin(b *testing.B) {
	schema, probe := benchBatches(1 << 16)
	_, build := benchBatches(1 << 16)
	first := make([]int32, 64)
	for i := range first {
		first[i] = int32(i)
	}
	small, err := TakeRecord(build[0], first)
	if err != nil {
		b.Fatal(err)
	}
	defer small.Release()
	both := schema.Concat(schema)
	f := expr.Call(expr.FnLt, expr.BoundCol(1, both.Fields[1]), expr.BoundCol(3, both.Fields[3]))
	f.Type = types.BoolType
	spec := &physical.JoinSpec{Type: logical.SemiJoin, Filter: f}
	b.SetBytes(benchRows * 16)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		j := &joinOp{probe: source(schema, probe...), buildIn: source(schema, small), spec: spec, schema: schema.Arrow()}
		if err := j.compile(&Env{}); err != nil {
			b.Fatal(err)
		}
		drainBench(b, j)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchRows), "ns/row")
}

// benchJoinBudget joins 1M probe rows with a 1M-row build side (16 MiB,
// keys in a 256K range) in a pool of budget bytes (0: unlimited).
func benchJoinBudget(b *testing.B, budget int64) {
	schema, probe := benchBatches(1 << 18)
	_, build := benchBatches(1 << 18)
	spec := &physical.JoinSpec{Type: logical.InnerJoin,
		LeftKeys: []*expr.Expr{expr.BoundCol(0, schema.Fields[0])}, RightKeys: []*expr.Expr{expr.BoundCol(0, schema.Fields[0])}}
	out := schema.Concat(schema)
	b.SetBytes(benchRows * 16)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		env := &Env{Pool: memory.NewPool(budget), TempDir: b.TempDir()}
		j := &joinOp{probe: source(schema, probe...), buildIn: source(schema, build...), spec: spec, schema: out.Arrow()}
		if err := j.compile(env); err != nil {
			b.Fatal(err)
		}
		drainBench(b, j)
		if budget > 0 && env.Spilled.Load() == 0 {
			b.Fatal("the join did not spill")
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchRows), "ns/row")
}

func BenchmarkHashJoinInMemory(b *testing.B) { benchJoinBudget(b, 0) }
func BenchmarkHashJoinSpilled(b *testing.B)  { benchJoinBudget(b, 8<<20) }
