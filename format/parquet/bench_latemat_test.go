package parquetfmt_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/format"
	parquetfmt "github.com/drover-etl/drover/format/parquet"
	"github.com/drover-etl/drover/types"
)

// lateQuery is a scan of lineitem shaped like a TPC-H query's: the
// columns it reads and the filters pushed into it.
type lateQuery struct {
	name    string
	cols    []string
	filters func(bind func(string) *expr.Expr) []*expr.Expr
}

func lateQueries() []lateQuery {
	day := func(y, m, d int) *expr.Expr {
		return expr.Lit(types.DateValue(int32(time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Unix() / 86400)))
	}
	dec := func(v int64) *expr.Expr { return expr.Lit(types.DecimalValue(decimal128.FromI64(v), 15, 2)) }
	cmp := func(fn string, a, b *expr.Expr) *expr.Expr {
		e := expr.Call(fn, a, b)
		e.Type = types.BoolType
		return e
	}
	return []lateQuery{
		{"q6", []string{"l_quantity", "l_extendedprice", "l_discount", "l_shipdate"}, func(c func(string) *expr.Expr) []*expr.Expr {
			return []*expr.Expr{cmp(expr.FnGe, c("l_shipdate"), day(1994, 1, 1)), cmp(expr.FnLt, c("l_shipdate"), day(1995, 1, 1)),
				cmp(expr.FnGe, c("l_discount"), dec(5)), cmp(expr.FnLe, c("l_discount"), dec(7)), cmp(expr.FnLt, c("l_quantity"), dec(2400))}
		}},
		{"q14", []string{"l_partkey", "l_extendedprice", "l_discount", "l_shipdate"}, func(c func(string) *expr.Expr) []*expr.Expr {
			return []*expr.Expr{cmp(expr.FnGe, c("l_shipdate"), day(1995, 9, 1)), cmp(expr.FnLt, c("l_shipdate"), day(1995, 10, 1))}
		}},
		{"q1", []string{"l_returnflag", "l_linestatus", "l_quantity", "l_extendedprice", "l_discount", "l_tax", "l_shipdate"}, func(c func(string) *expr.Expr) []*expr.Expr {
			return []*expr.Expr{cmp(expr.FnLe, c("l_shipdate"), day(1998, 9, 2))}
		}},
		// A range of the column the file is sorted by: most batches have
		// no selected row.
		{"orderkey2%", []string{"l_orderkey", "l_extendedprice", "l_shipdate", "l_comment"}, func(c func(string) *expr.Expr) []*expr.Expr {
			k := c("l_orderkey")
			return []*expr.Expr{cmp(expr.FnGe, k, expr.Lit(types.Int64Value(1_000_000))), cmp(expr.FnLt, k, expr.Lit(types.Int64Value(1_050_000)))}
		}},
	}
}

// BenchmarkLateMaterialization scans lineitem as TPC-H Q6, Q14 and Q1 do
// and with a clustered 2% range, in Drover's layout (122,880-row groups,
// no page index) and in 1 M-row groups with the page index, in the four
// lateModes interleaved in every iteration. A scan is what a scan task
// does: the reader, then the scan operator's filter on every batch the
// reader has not reported as filtered (format.Prefiltered; "late+direct"
// filters every batch again, as the operator did before).
// <mode>-cpu-ns/row is CPU per file row; after/before their ratio,
// skip/reeval that of after and late+direct. Run with -cpu 1 for the
// per-core cost.
func BenchmarkLateMaterialization(b *testing.B) {
	lb := lineitemFiles(b)
	s := lb.schema
	idx := func(name string) int {
		i, err := s.Resolve("", name)
		if err != nil {
			b.Fatal(err)
		}
		return i
	}
	bind := func(name string) *expr.Expr { i := idx(name); return expr.BoundCol(i, s.Fields[i]) }
	for _, q := range lateQueries() {
		var cols []int
		for _, c := range q.cols {
			cols = append(cols, idx(c))
		}
		ro := format.ReadOptions{Table: s, Columns: cols, Filters: q.filters(bind)}
		pred := scanPredicate(b, ro)
		for _, file := range []struct{ name, path string }{{"rg122880", lb.small}, {"rg1M-index", lb.indexed}} {
			b.Run(q.name+"/"+file.name, func(b *testing.B) {
				cpu := make([]time.Duration, len(lateModes))
				kept := make([]int64, len(lateModes))
				iter := 0
				for b.Loop() {
					// Modes interleaved, in an order that turns every
					// iteration: a busy machine's drift hits all alike.
					for k := range lateModes {
						m := (k + iter) % len(lateModes)
						restore := lateModes[m].set()
						cpu0 := cpuTime()
						kept[m] = scanFiltered(b, file.path, ro, pred, lateModes[m].skip)
						cpu[m] += cpuTime() - cpu0
						restore()
					}
					iter++
				}
				for m, mode := range lateModes {
					if kept[m] != kept[0] {
						b.Fatalf("%s kept %d rows, %s %d", mode.name, kept[m], lateModes[0].name, kept[0])
					}
					b.ReportMetric(float64(cpu[m].Nanoseconds())/float64(b.N)/float64(lb.rows), mode.name+"-cpu-ns/row")
				}
				b.ReportMetric(float64(cpu[len(cpu)-1])/float64(cpu[0]), "after/before")
				b.ReportMetric(float64(cpu[len(cpu)-1])/float64(cpu[len(cpu)-2]), "skip/reeval")
				b.ReportMetric(float64(kept[0]), "rows-kept")
			})
		}
	}
}

// lateMode is one configuration of the reader the benchmark compares.
type lateMode struct {
	name               string
	late, direct, skip bool
}

func (m lateMode) set() (restore func()) {
	r1 := parquetfmt.SetLateMaterialization(m.late)
	r2 := parquetfmt.SetDirectDecimals(m.direct)
	return func() { r2(); r1() }
}

// lateModes: before (neither late materialization nor direct decimals),
// each alone, both with the filters evaluated again on every batch, and
// after (both, and batches late materialization filtered not evaluated
// again). after and late+direct must stay last.
var lateModes = []lateMode{{"before", false, false, false}, {"late", true, false, true}, {"direct", false, true, true},
	{"late+direct", true, true, false}, {"after", true, true, true}}

// scanPredicate compiles ro's filters over the projected columns, as the
// scan operator does.
func scanPredicate(b *testing.B, ro format.ReadOptions) *eval.Evaluator {
	pos := map[int]int{}
	for i, c := range ro.Columns {
		pos[c] = i
	}
	cond := ro.Filters[0]
	for _, fl := range ro.Filters[1:] {
		cond = call(expr.FnAnd, cond, fl)
	}
	cond, err := expr.Transform(cond, func(e *expr.Expr) (*expr.Expr, error) {
		if e.Kind == expr.KindColumn {
			e.Index = pos[e.Index]
		}
		return e, nil
	})
	if err != nil {
		b.Fatal(err)
	}
	pred, err := eval.Compile(cond, eval.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return pred
}

// scanFiltered reads the file and filters every batch (with skip, every
// batch the reader did not report as filtered), returning the rows kept.
func scanFiltered(b *testing.B, path string, ro format.ReadOptions, pred *eval.Evaluator, skip bool) int64 {
	ctx := context.Background()
	r, err := f.Open(ctx, format.Split{URL: path}, ro)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	var kept int64
	for {
		rec, err := r.Next(ctx)
		if err != nil {
			if err == io.EOF {
				return kept
			}
			b.Fatal(err)
		}
		if skip && format.BatchFiltered(r) {
			kept += rec.NumRows()
			rec.Release()
			continue
		}
		out, err := eval.Filter(ctx, rec, pred)
		rec.Release()
		if err != nil {
			b.Fatal(err)
		}
		kept += out.NumRows()
		out.Release()
	}
}
