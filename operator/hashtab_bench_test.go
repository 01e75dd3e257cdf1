package operator

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/types"
)

// Benchmarks of the hash tables through their operators, by key shape:
// one BIGINT key, two BIGINT keys, one VARCHAR key, and for aggregation
// three narrow keys (INT, INT, BOOLEAN: packed in two words); 1M input
// rows.

// cpuTime is the process's user + system CPU time so far: on a shared
// machine it varies less than wall time (reported as cpu-ns/row).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportPerRow reports wall and CPU time per input row since cpu0.
func reportPerRow(b *testing.B, cpu0 time.Duration) {
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchRows), "ns/row")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N*benchRows), "cpu-ns/row")
}

// keyShapes are the key layouts benchmarked.
var keyShapes = []string{"int1", "int2", "string"}

// keyedBatches makes rows rows of (key columns of shape, v float64) in
// DefaultBatchRows-row batches; row i's key is derived from keyOf(i).
func keyedBatches(shape string, rows int, keyOf func(i int) int64) (*types.Schema, []arrow.RecordBatch) {
	schema := &types.Schema{}
	switch shape {
	case "int1":
		schema.Fields = []types.Field{{Name: "k", Type: types.Int64Type}}
	case "int2":
		schema.Fields = []types.Field{{Name: "k1", Type: types.Int64Type}, {Name: "k2", Type: types.Int64Type}}
	case "string":
		schema.Fields = []types.Field{{Name: "k", Type: types.StringType}}
	case "narrow3":
		schema.Fields = []types.Field{{Name: "k1", Type: types.Int32Type}, {Name: "k2", Type: types.Int32Type}, {Name: "k3", Type: types.BoolType}}
	}
	schema.Fields = append(schema.Fields, types.Field{Name: "v", Type: types.Float64Type})
	rng := rand.New(rand.NewPCG(2, 2))
	var recs []arrow.RecordBatch
	for lo := 0; lo < rows; lo += DefaultBatchRows {
		n := min(DefaultBatchRows, rows-lo)
		var cols []arrow.Array
		switch shape {
		case "int1":
			b := array.NewInt64Builder(mem)
			for i := range n {
				b.Append(keyOf(lo + i))
			}
			cols = append(cols, b.NewArray())
		case "int2":
			b1, b2 := array.NewInt64Builder(mem), array.NewInt64Builder(mem)
			for i := range n {
				k := keyOf(lo + i)
				b1.Append(k >> 10)
				b2.Append(k & 1023)
			}
			cols = append(cols, b1.NewArray(), b2.NewArray())
		case "string":
			b := array.NewStringBuilder(mem)
			for i := range n {
				b.Append(fmt.Sprintf("customer#%09d", keyOf(lo+i)))
			}
			cols = append(cols, b.NewArray())
		case "narrow3":
			b1, b2, b3 := array.NewInt32Builder(mem), array.NewInt32Builder(mem), array.NewBooleanBuilder(mem)
			for i := range n {
				k := keyOf(lo + i)
				b1.Append(int32(k >> 9))
				b2.Append(int32(k >> 1 & 255))
				b3.Append(k&1 != 0)
			}
			cols = append(cols, b1.NewArray(), b2.NewArray(), b3.NewArray())
		}
		vb := array.NewFloat64Builder(mem)
		for range n {
			vb.Append(rng.Float64())
		}
		cols = append(cols, vb.NewArray())
		recs = append(recs, array.NewRecordBatch(schema.Arrow(), cols, int64(n)))
		releaseAll(cols)
	}
	return schema, recs
}

func keyExprs(schema *types.Schema) []*expr.Expr {
	var out []*expr.Expr
	for i, f := range schema.Fields[:len(schema.Fields)-1] {
		out = append(out, expr.BoundCol(i, f))
	}
	return out
}

// BenchmarkHashAggKeys aggregates (sum, count) 1M rows in Complete mode
// into very few (4, flag-like), few (1000) or many (~630K of a 1M key
// range) groups.
func BenchmarkHashAggKeys(b *testing.B) {
	for _, shape := range append(keyShapes, "narrow3") {
		for _, card := range []struct {
			name   string
			groups int
		}{{"tiny", 4}, {"low", 1000}, {"high", 1 << 20}} {
			b.Run(shape+"/"+card.name, func(b *testing.B) {
				rng := rand.New(rand.NewPCG(1, 1))
				schema, recs := keyedBatches(shape, benchRows, func(int) int64 { return int64(rng.IntN(card.groups)) })
				defer releaseRecs(recs)
				group := keyExprs(schema)
				v := len(schema.Fields) - 1
				aggs := []logical.AggExpr{
					{Func: expr.AggSum, Arg: expr.BoundCol(v, schema.Fields[v]), Name: "s", Type: types.Float64Type},
					{Func: expr.AggCountStar, Name: "n", Type: types.Int64Type},
				}
				out := &types.Schema{Fields: append(append([]types.Field(nil), schema.Fields[:v]...),
					types.Field{Name: "s", Type: types.Float64Type}, types.Field{Name: "n", Type: types.Int64Type})}
				runtime.GC() // the inputs' garbage is not the loop's
				b.ResetTimer()
				cpu0 := cpuTime()
				for i := 0; i < b.N; i++ {
					h, err := newHashAgg(&physical.Node{Op: physical.OpHashAgg, Schema: out,
						Agg: &physical.AggSpec{Mode: physical.AggComplete, GroupBy: group, Aggs: aggs}}, source(schema, retain(recs)...), &Env{})
					if err != nil {
						b.Fatal(err)
					}
					drainBench(b, h)
				}
				reportPerRow(b, cpu0)
			})
		}
	}
}

// BenchmarkHashJoinKeys joins 1M probe rows with a build side of unique
// keys: 1000 (low) or 512K (high, lineitem ⋈ orders-like), probe keys
// drawn from twice the build's range (half match).
func BenchmarkHashJoinKeys(b *testing.B) {
	for _, shape := range keyShapes {
		for _, card := range []struct {
			name  string
			build int
		}{{"low", 1000}, {"high", 1 << 19}} {
			b.Run(shape+"/"+card.name, func(b *testing.B) {
				perm := rand.New(rand.NewPCG(3, 3)).Perm(card.build)
				schema, build := keyedBatches(shape, card.build, func(i int) int64 { return int64(perm[i]) })
				defer releaseRecs(build)
				rng := rand.New(rand.NewPCG(4, 4))
				_, probe := keyedBatches(shape, benchRows, func(int) int64 { return int64(rng.IntN(2 * card.build)) })
				defer releaseRecs(probe)
				keys := keyExprs(schema)
				spec := &physical.JoinSpec{Type: logical.InnerJoin, LeftKeys: keys, RightKeys: keys}
				out := schema.Concat(schema)
				runtime.GC() // the inputs' garbage is not the loop's
				b.ResetTimer()
				cpu0 := cpuTime()
				for i := 0; i < b.N; i++ {
					j := &joinOp{probe: source(schema, retain(probe)...), buildIn: source(schema, retain(build)...), spec: spec, schema: out.Arrow()}
					if err := j.compile(&Env{}); err != nil {
						b.Fatal(err)
					}
					drainBench(b, j)
				}
				reportPerRow(b, cpu0)
			})
		}
	}
}
