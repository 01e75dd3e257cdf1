package parquetfmt_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/csv/formattest"
	parquetfmt "github.com/drover-etl/drover/format/parquet"
	"github.com/drover-etl/drover/types"
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
	queries := append(lateQueries(), lateQuery{"q1-nofilter", lateQueries()[2].cols, nil})
	benchPageDecoder(b, lb, queries, []benchFile{{"rg122880", lb.small}, {"rg1M-index", lb.indexed}})
}

type benchFile struct{ name, path string }

// benchPageDecoder runs queries on files with the payload side (and
// whole units) decoded by pqarrow and by the own decoder, interleaved.
func benchPageDecoder(b *testing.B, lb lineitemBench, queries []lateQuery, files []benchFile) {
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
		for _, file := range files {
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

// BenchmarkPageDecoderStrings scans lineitem's string columns as
// BenchmarkPageDecoder does: l_comment (unique values, so its dictionary
// falls back to PLAIN) and the low-cardinality ones, in Drover's layout
// ("rg122880") and written without dictionaries ("nodict", the bench
// suite's layout of that name, where every string page is PLAIN).
func BenchmarkPageDecoderStrings(b *testing.B) {
	lb := lineitemFiles(b)
	nodict := lineitemNoDict(b, lb)
	day := func(y, m, d int) *expr.Expr {
		return expr.Lit(types.DateValue(int32(time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Unix() / 86400)))
	}
	cmp := func(fn string, a, b *expr.Expr) *expr.Expr {
		e := expr.Call(fn, a, b)
		e.Type = types.BoolType
		return e
	}
	queries := []lateQuery{
		{"comment-nofilter", []string{"l_orderkey", "l_comment"}, nil},
		{"strings-nofilter", []string{"l_returnflag", "l_shipinstruct", "l_shipmode", "l_comment"}, nil},
		// A month of ship dates: about 1.3% of the rows, spread out.
		{"comment-month", []string{"l_shipdate", "l_comment", "l_shipmode"}, func(c func(string) *expr.Expr) []*expr.Expr {
			return []*expr.Expr{cmp(expr.FnGe, c("l_shipdate"), day(1995, 9, 1)), cmp(expr.FnLt, c("l_shipdate"), day(1995, 10, 1))}
		}},
		lateQueries()[3], // orderkey2%
	}
	benchPageDecoder(b, lb, queries, []benchFile{{"rg122880", lb.small}, {"nodict", nodict}})
}

var (
	nodictOnce sync.Once
	nodictPath string
	nodictErr  error
)

// lineitemNoDict is lineitem in 122,880-row groups without dictionaries,
// made once beside the other files.
func lineitemNoDict(b *testing.B, lb lineitemBench) string {
	nodictOnce.Do(func() {
		path := filepath.Join(filepath.Dir(lb.small), "nodict.parquet")
		if _, err := os.Stat(path); err == nil {
			nodictPath = path
			return
		}
		recs, err := formattest.Scan(f, lb.small, 0, format.ReadOptions{Table: lb.schema})
		if err != nil {
			nodictErr = err
			return
		}
		defer formattest.Release(recs)
		props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Snappy),
			parquet.WithMaxRowGroupLength(122_880), parquet.WithDictionaryDefault(false), parquet.WithStats(true),
			parquet.WithStoreDecimalAsInteger(true))
		if nodictErr = writeLineitem(path+".tmp", recs, props); nodictErr == nil {
			nodictErr = os.Rename(path+".tmp", path)
			nodictPath = path
		}
	})
	if nodictErr != nil {
		b.Fatal(nodictErr)
	}
	return nodictPath
}
