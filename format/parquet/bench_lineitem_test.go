package parquetfmt_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/csv/formattest"
	parquetfmt "github.com/drover-etl/drover/format/parquet"
	"github.com/drover-etl/drover/tpch"
	"github.com/drover-etl/drover/types"
)

// lineitemBench is TPC-H lineitem (SF 0.35, 2.1 M rows) written twice by
// Drover's writer: in Drover's 122,880-row groups and in 1 M-row groups as
// DuckDB and Spark write them. The files are cached in the user cache
// directory (they take a while to make on a busy machine).
type lineitemBench struct {
	small, large string
	indexed      string // large, written by pqarrow with the page index
	schema       *types.Schema
	rows         int64
}

var (
	lineitemOnce sync.Once
	lineitemData lineitemBench
	lineitemErr  error
)

func lineitemFiles(b *testing.B) lineitemBench {
	b.Helper()
	lineitemOnce.Do(func() { lineitemData, lineitemErr = makeLineitemFiles(b) })
	if lineitemErr != nil {
		b.Fatal(lineitemErr)
	}
	return lineitemData
}

func makeLineitemFiles(b *testing.B) (lineitemBench, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "drover-pqbench", "sf0.35")
	lb := lineitemBench{small: filepath.Join(dir, "small.parquet"), large: filepath.Join(dir, "large.parquet"),
		indexed: filepath.Join(dir, "large-index.parquet")}
	if _, err := os.Stat(lb.large); err != nil {
		gen := filepath.Join(dir, "gen")
		os.RemoveAll(gen)
		if _, err := tpch.Generate(context.Background(), tpch.Config{Dir: gen, ScaleFactor: 0.35, Seed: 1,
			Formats: []string{"parquet"}, Tables: []string{tpch.Lineitem}, FileBytes: 1 << 40}); err != nil {
			return lb, err
		}
		src := filepath.Join(gen, "parquet", tpch.Lineitem, "part-00000.parquet")
		recs, err := formattest.Scan(f, src, 0, format.ReadOptions{Table: mustInfer(b, src)})
		if err != nil {
			return lb, err
		}
		schema := tpch.Schemas[tpch.Lineitem]
		formattest.Write(b, f, lb.small+".tmp", schema, map[string]string{"row_group_rows": "122880"}, recs...)
		formattest.Write(b, f, lb.large+".tmp", schema, map[string]string{"row_group_rows": "1048576", "row_group_bytes": "4294967296"}, recs...)
		formattest.Release(recs)
		os.RemoveAll(gen)
		if err := os.Rename(lb.small+".tmp", lb.small); err != nil {
			return lb, err
		}
		if err := os.Rename(lb.large+".tmp", lb.large); err != nil {
			return lb, err
		}
	}
	if _, err := os.Stat(lb.indexed); err != nil {
		recs, err := formattest.Scan(f, lb.large, 0, format.ReadOptions{Table: mustInfer(b, lb.large)})
		if err != nil {
			return lb, err
		}
		err = writeIndexed(lb.indexed+".tmp", recs)
		formattest.Release(recs)
		if err != nil {
			return lb, err
		}
		if err := os.Rename(lb.indexed+".tmp", lb.indexed); err != nil {
			return lb, err
		}
	}
	lb.schema = mustInfer(b, lb.large)
	recs, err := formattest.Scan(f, lb.large, 0, format.ReadOptions{Table: lb.schema, Columns: []int{0}})
	if err != nil {
		return lb, err
	}
	lb.rows = countRows(recs)
	formattest.Release(recs)
	return lb, nil
}

func mustInfer(b testing.TB, path string) *types.Schema {
	b.Helper()
	s, err := f.Infer(context.Background(), formattest.Location(b, path), nil)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// writeIndexed writes recs as 1 M-row groups with the page index (as
// parquet-mr and Spark do), dictionaries, Snappy and small pages.
func writeIndexed(path string, recs []arrow.RecordBatch) error {
	return writeLineitem(path, recs, parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Snappy),
		parquet.WithMaxRowGroupLength(1<<20), parquet.WithDictionaryDefault(true), parquet.WithStats(true),
		parquet.WithPageIndexEnabled(true), parquet.WithStoreDecimalAsInteger(true),
		// Pages of at most 64 KiB (parquet-mr also caps them at 20,000
		// rows): small enough for 128 k-row morsels.
		parquet.WithDataPageSize(64<<10)))
}

// writeLineitem writes recs with pqarrow's writer and props.
func writeLineitem(path string, recs []arrow.RecordBatch, props *parquet.WriterProperties) error {
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	defer out.Close()
	fw, err := pqarrow.NewFileWriter(recs[0].Schema(), out, props, pqarrow.NewArrowWriterProperties())
	if err != nil {
		return err
	}
	for _, r := range recs {
		if err := fw.WriteBuffered(r); err != nil {
			return err
		}
	}
	return fw.Close()
}

// q1Options reads what TPC-H Q1 reads: the flags, the four money columns
// and the ship date, with Q1's date filter pushed down.
func q1Options(s *types.Schema) format.ReadOptions {
	idx := func(name string) int {
		i, err := s.Resolve("", name)
		if err != nil {
			panic(err)
		}
		return i
	}
	ship := idx("l_shipdate")
	day := types.DateValue(int32(time.Date(1998, 9, 2, 0, 0, 0, 0, time.UTC).Unix() / 86400))
	le := expr.Call(expr.FnLe, expr.BoundCol(ship, s.Fields[ship]), expr.Lit(day))
	le.Type = types.BoolType
	var cols []int
	for _, n := range []string{"l_returnflag", "l_linestatus", "l_quantity", "l_extendedprice", "l_discount", "l_tax", "l_shipdate"} {
		cols = append(cols, idx(n))
	}
	return format.ReadOptions{Table: s, Columns: cols, Filters: []*expr.Expr{le}}
}

// BenchmarkLineitemQ1 scans Q1's columns of the same rows in 122,880-row
// and 1 M-row groups, as one task reading the whole file ("file") and as
// a task given one 1 M-row group ("rg0", which is the whole of such a
// task's work), with row groups cut into morsels and not. It reports wall
// and CPU nanoseconds per row: the CPU figure is what a busy machine
// distorts least.
func BenchmarkLineitemQ1(b *testing.B) {
	lb := lineitemFiles(b)
	const morsel = 128 << 10
	for _, c := range []struct {
		name   string
		path   string
		rgs    []int
		morsel int64
	}{
		{"rg122880/file", lb.small, nil, morsel},
		{"rg1M/file/whole", lb.large, nil, 0},
		{"rg1M/file/morsels", lb.large, nil, morsel},
		{"rg1M/rg0/whole", lb.large, []int{0}, 0},
		{"rg1M/rg0/morsels", lb.large, []int{0}, morsel},
		{"rg1M-index/file/whole", lb.indexed, nil, 0},
		{"rg1M-index/file/morsels", lb.indexed, nil, morsel},
		{"rg1M-index/rg0/whole", lb.indexed, []int{0}, 0},
		{"rg1M-index/rg0/morsels", lb.indexed, []int{0}, morsel},
	} {
		b.Run(c.name, func(b *testing.B) {
			defer parquetfmt.SetMorselRows(c.morsel)()
			ro := q1Options(lb.schema)
			split := format.Split{URL: c.path, RowGroups: c.rgs}
			var rows int64
			cpu0 := cpuTime()
			b.ResetTimer()
			for b.Loop() {
				r, err := f.Open(context.Background(), split, ro)
				if err != nil {
					b.Fatal(err)
				}
				out, err := batch.ReadAll(context.Background(), r)
				r.Close()
				if err != nil {
					b.Fatal(err)
				}
				n := countRows(out)
				if n == 0 || n > lb.rows {
					b.Fatalf("read %d rows of %d", n, lb.rows)
				}
				rows += n
				formattest.Release(out)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(rows), "ns/row")
			b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(rows), "cpu-ns/row")
		})
	}
}

// cpuTime is the process's user + system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkLineitemSelective reads three columns of the 1 M-row-group
// file with the page index under a filter on l_orderkey (the generator
// writes lineitem in order-key order) that keeps about 2% of the rows,
// with page-index pruning on and off. rows/op is what the reader
// returned (the scan operator then applies the filter).
func BenchmarkLineitemSelective(b *testing.B) {
	lb := lineitemFiles(b)
	s := lb.schema
	idx := func(name string) int {
		i, err := s.Resolve("", name)
		if err != nil {
			b.Fatal(err)
		}
		return i
	}
	ok := idx("l_orderkey")
	okCol := expr.BoundCol(ok, s.Fields[ok])
	ge := expr.Call(expr.FnGe, okCol, expr.Lit(types.Int64Value(1_000_000)))
	lt := expr.Call(expr.FnLt, okCol, expr.Lit(types.Int64Value(1_050_000)))
	ge.Type, lt.Type = types.BoolType, types.BoolType
	ro := format.ReadOptions{Table: s, Columns: []int{ok, idx("l_extendedprice"), idx("l_shipdate")}, Filters: []*expr.Expr{ge, lt}}
	for _, on := range []bool{false, true} {
		b.Run(fmt.Sprintf("pageindex=%t", on), func(b *testing.B) {
			defer parquetfmt.SetPageIndex(on)()
			var rows int64
			cpu0 := cpuTime()
			for b.Loop() {
				out, err := formattest.Scan(f, lb.indexed, 0, ro)
				if err != nil {
					b.Fatal(err)
				}
				rows += countRows(out)
				formattest.Release(out)
			}
			b.ReportMetric(float64(rows)/float64(b.N), "rows/op")
			b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N)/float64(lb.rows), "cpu-ns/filerow")
		})
	}
}
