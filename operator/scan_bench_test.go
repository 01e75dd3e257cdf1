package operator

import (
	"context"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/types"
)

// BenchmarkScanPrefiltered is the scan operator's own work on batches of
// 64 Ki rows that all pass its filters — what Parquet late
// materialization hands it — with TPC-H Q1's filter (one date compare)
// and Q6's (a date range and three decimal compares): "reeval" evaluates
// the filters again on every batch (as before format.Prefiltered),
// "skip" trusts the reader's mark. ns/row is per scanned row.
func BenchmarkScanPrefiltered(b *testing.B) {
	const n = 64 << 10
	schema := types.NewSchema(
		types.Field{Name: "l_shipdate", Type: types.DateType, Nullable: true},
		types.Field{Name: "l_discount", Type: types.DecimalOf(15, 2), Nullable: true},
		types.Field{Name: "l_quantity", Type: types.DecimalOf(15, 2), Nullable: true},
	)
	bld := array.NewRecordBuilder(mem, schema.Arrow())
	for i := range n {
		bld.Field(0).(*array.Date32Builder).Append(arrow.Date32(8766 + i%365))
		bld.Field(1).(*array.Decimal128Builder).Append(decimal128.FromI64(int64(5 + i%3)))
		bld.Field(2).(*array.Decimal128Builder).Append(decimal128.FromI64(int64(100 + i%2300)))
	}
	rec := bld.NewRecordBatch()
	bld.Release()
	defer rec.Release()
	c := func(i int) *expr.Expr { return expr.BoundCol(i, schema.Fields[i]) }
	cmp := func(fn string, a, v *expr.Expr) *expr.Expr {
		e := expr.Call(fn, a, v)
		e.Type, e.Nullable = types.BoolType, true
		return e
	}
	day := func(d int32) *expr.Expr { return expr.Lit(types.DateValue(d)) }
	dec := func(v int64) *expr.Expr { return expr.Lit(types.DecimalValue(decimal128.FromI64(v), 15, 2)) }
	preds := map[string]*expr.Expr{
		"q1": cmp(expr.FnLe, c(0), day(10471)),
		"q6": andOf(andOf(andOf(andOf(cmp(expr.FnGe, c(0), day(8766)), cmp(expr.FnLt, c(0), day(9131))),
			cmp(expr.FnGe, c(1), dec(5))), cmp(expr.FnLe, c(1), dec(7))), cmp(expr.FnLt, c(2), dec(2400))),
	}
	for _, q := range []string{"q1", "q6"} {
		pred, err := eval.Compile(preds[q], eval.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(q, func(b *testing.B) {
			var spent [2]time.Duration // reeval, skip: interleaved
			for b.Loop() {
				for m, mark := range []bool{false, true} {
					start := time.Now()
					r := &markedReader{SliceReader: batch.NewSliceReader(schema.Arrow(), []arrow.RecordBatch{rec}), marks: []bool{mark}}
					s := &scan{r: r, schema: schema.Arrow(), pred: pred, env: &Env{}}
					out, err := s.Next(context.Background())
					if err != nil || out.NumRows() != n {
						b.Fatal(err)
					}
					out.Release()
					spent[m] += time.Since(start)
				}
			}
			b.ReportMetric(float64(spent[0].Nanoseconds())/float64(b.N)/n, "reeval-ns/row")
			b.ReportMetric(float64(spent[1].Nanoseconds())/float64(b.N)/n, "skip-ns/row")
		})
	}
}
