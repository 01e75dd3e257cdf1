package jsonlfmt_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/csv/formattest"
	"github.com/drover-etl/drover/types"
)

// BenchmarkJSONLScan parses 500K objects of five typed keys plus one
// skipped nested key.
func BenchmarkJSONLScan(b *testing.B) {
	const rows = 500_000
	var sb strings.Builder
	for i := range rows {
		fmt.Fprintf(&sb, `{"id":%d,"name":"name-%d","price":%d.%02d,"skip":{"a":[1,2]},"ok":%t,"day":"2024-01-%02d"}`+"\n",
			i, i%1000, i, i%100, i%2 == 0, i%28+1)
	}
	path := filepath.Join(b.TempDir(), "bench.jsonl")
	formattest.Put(b, path, []byte(sb.String()))
	table := types.NewSchema(
		types.Field{Name: "id", Type: types.Int64Type}, types.Field{Name: "name", Type: types.StringType},
		types.Field{Name: "price", Type: types.DecimalOf(12, 2)}, types.Field{Name: "ok", Type: types.BoolType},
		types.Field{Name: "day", Type: types.DateType},
	)
	b.SetBytes(int64(sb.Len()))
	b.ResetTimer()
	for b.Loop() {
		out, err := formattest.Scan(f, path, 0, format.ReadOptions{Table: table})
		if err != nil {
			b.Fatal(err)
		}
		formattest.Release(out)
	}
	b.ReportMetric(float64(b.N)*rows/b.Elapsed().Seconds(), "rows/s")
}
