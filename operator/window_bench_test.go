package operator

import (
	"context"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/types"
)

// benchWindow runs funcs over 1M sorted rows in partitions of partRows
// rows (the sort is not measured).
func benchWindow(b *testing.B, partRows int64, specs []logical.WindowFuncSpec) {
	const n, batchRows = 1 << 20, 64 * 1024
	in := int64Schema("p", "o", "x")
	var recs []arrow.RecordBatch
	for lo := int64(0); lo < n; lo += batchRows {
		var ps, os, xs []*int64
		for i := lo; i < lo+batchRows; i++ {
			ps, os, xs = append(ps, p(i/partRows)), append(os, p(i)), append(xs, p(i%97))
		}
		recs = append(recs, int64Batch(in, ps, os, xs))
	}
	w, err := logical.NewWindow(&logical.Scan{Table: in}, []*expr.Expr{expr.Col("", "p")}, []logical.SortKey{{Expr: expr.Col("", "o")}}, specs, nil)
	if err != nil {
		b.Fatal(err)
	}
	spec := &physical.WindowSpec{PartitionBy: w.PartitionBy, OrderBy: w.OrderBy, Funcs: w.Funcs}
	node := &physical.Node{Op: physical.OpWindow, Inputs: []*physical.Node{{Schema: in}}, Schema: w.Schema(), Window: spec}
	b.ResetTimer()
	for range b.N {
		op, err := newWindow(node, batch.NewSliceReader(in.Arrow(), recs), &Env{})
		if err != nil {
			b.Fatal(err)
		}
		out, err := batch.ReadAll(context.Background(), op)
		if err != nil {
			b.Fatal(err)
		}
		releaseRecs(out)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/row")
}

func BenchmarkWindowStreaming(b *testing.B) {
	x := expr.Col("", "x")
	for _, part := range []int64{10, 100000} {
		b.Run(map[int64]string{10: "small-partitions", 100000: "large-partitions"}[part], func(b *testing.B) {
			benchWindow(b, part, []logical.WindowFuncSpec{{Name: "row_number", Alias: "rn"}, {Name: "rank", Alias: "rk"},
				{Name: "sum", Args: []*expr.Expr{x}, Alias: "s"}, {Name: "lag", Args: []*expr.Expr{x}, Alias: "l"}})
		})
	}
}

func BenchmarkWindowBuffered(b *testing.B) {
	x := expr.Col("", "x")
	benchWindow(b, 10, []logical.WindowFuncSpec{{Name: "sum", Args: []*expr.Expr{x}, Alias: "s",
		Frame: &logical.WindowFrame{Start: logical.FrameBound{Kind: logical.UnboundedPreceding}, End: logical.FrameBound{Kind: logical.UnboundedFollowing}}},
		{Name: "lead", Args: []*expr.Expr{x}, Alias: "l"}, {Name: "max", Args: []*expr.Expr{x}, Alias: "m",
			Frame: &logical.WindowFrame{Start: logical.FrameBound{Kind: logical.Preceding, Offset: types64(3)}, End: logical.FrameBound{Kind: logical.Following, Offset: types64(3)}}}})
}

func types64(i int64) types.Value { return types.Int64Value(i) }
