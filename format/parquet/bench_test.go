package parquetfmt_test

import (
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/csv/formattest"
)

// BenchmarkParquetScan reads three columns (int64, dictionary string,
// decimal) of a 1M-row file in 8 row groups.
func BenchmarkParquetScan(b *testing.B) {
	path := filepath.Join(b.TempDir(), "bench.parquet")
	var recs []arrow.RecordBatch
	for i := 0; i < 1_000_000; i += 100_000 {
		recs = append(recs, numbers(i, i+100_000))
	}
	formattest.Write(b, f, path, numbersSchema.Arrow(), map[string]string{"row_group_rows": "131072"}, recs...)
	formattest.Release(recs)
	ro := format.ReadOptions{Table: numbersSchema, Columns: []int{0, 2, 3}}
	b.ResetTimer()
	for b.Loop() {
		out, err := formattest.Scan(f, path, 0, ro)
		if err != nil {
			b.Fatal(err)
		}
		if countRows(out) != 1_000_000 {
			b.Fatal("wrong row count")
		}
		formattest.Release(out)
	}
	b.ReportMetric(float64(b.N)*1e6/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkParquetWrite writes 1M rows of eight columns with snappy.
func BenchmarkParquetWrite(b *testing.B) {
	var recs []arrow.RecordBatch
	for i := 0; i < 1_000_000; i += 100_000 {
		recs = append(recs, numbers(i, i+100_000))
	}
	defer formattest.Release(recs)
	dir := b.TempDir()
	b.ResetTimer()
	for b.Loop() {
		formattest.Write(b, f, filepath.Join(dir, "w.parquet"), numbersSchema.Arrow(), nil, recs...)
	}
	b.ReportMetric(float64(b.N)*1e6/b.Elapsed().Seconds(), "rows/s")
}
