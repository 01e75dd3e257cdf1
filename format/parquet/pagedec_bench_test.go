package parquetfmt_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/format"
	parquetfmt "github.com/drover-etl/drover/format/parquet"
)

// BenchmarkPageDecoder scans lineitem as BenchmarkLateMaterialization's
// queries do (late materialization and direct decimals on), and Q1's
// columns without a filter (no late materialization), with the
// payload side decoded by pqarrow ("pqarrow") and by the own page decoder
// ("own"), interleaved in every iteration. <mode>-cpu-ns/row is CPU per
// file row; own/pqarrow their ratio. Run with -cpu 1 for the per-core
// cost.
func BenchmarkPageDecoder(b *testing.B) {
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
	modes := []struct {
		name string
		own  bool
	}{{"pqarrow", false}, {"own", true}}
	queries := append(lateQueries(), lateQuery{"q1-nofilter", lateQueries()[2].cols, nil})
	for _, q := range queries {
		var cols []int
		for _, c := range q.cols {
			cols = append(cols, idx(c))
		}
		ro := format.ReadOptions{Table: s, Columns: cols}
		var pred *eval.Evaluator
		if q.filters != nil {
			ro.Filters = q.filters(bind)
			pred = scanPredicate(b, ro)
		}
		for _, file := range []struct{ name, path string }{{"rg122880", lb.small}, {"rg1M-index", lb.indexed}} {
			b.Run(q.name+"/"+file.name, func(b *testing.B) {
				cpu := make([]time.Duration, len(modes))
				kept := make([]int64, len(modes))
				iter := 0
				for b.Loop() {
					for k := range modes {
						m := (k + iter) % len(modes)
						restore := parquetfmt.SetPageDecoder(modes[m].own)
						cpu0 := cpuTime()
						if pred == nil {
							kept[m] = scanRows(b, file.path, ro)
						} else {
							kept[m] = scanFiltered(b, file.path, ro, pred, true)
						}
						cpu[m] += cpuTime() - cpu0
						restore()
					}
					iter++
				}
				if kept[0] != kept[1] {
					b.Fatalf("pqarrow kept %d rows, own %d", kept[0], kept[1])
				}
				for m, mode := range modes {
					b.ReportMetric(float64(cpu[m].Nanoseconds())/float64(b.N)/float64(lb.rows), mode.name+"-cpu-ns/row")
				}
				b.ReportMetric(float64(cpu[1])/float64(cpu[0]), "own/pqarrow")
			})
		}
	}
}

// scanRows reads the file and returns its rows.
func scanRows(b *testing.B, path string, ro format.ReadOptions) int64 {
	ctx := context.Background()
	r, err := f.Open(ctx, format.Split{URL: path}, ro)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	var n int64
	for {
		rec, err := r.Next(ctx)
		if err == io.EOF {
			return n
		}
		if err != nil {
			b.Fatal(err)
		}
		n += rec.NumRows()
		rec.Release()
	}
}
