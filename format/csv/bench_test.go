package csvfmt_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/csv/formattest"
	"github.com/drover-etl/drover/types"
)

var benchTable = types.NewSchema(
	types.Field{Name: "id", Type: types.Int64Type}, types.Field{Name: "name", Type: types.StringType},
	types.Field{Name: "price", Type: types.DecimalOf(12, 2)}, types.Field{Name: "ratio", Type: types.Float64Type},
	types.Field{Name: "day", Type: types.DateType}, types.Field{Name: "note", Type: types.StringType},
)

// BenchmarkCSVScan parses 1M rows of six typed columns, one of them
// quoted with embedded commas.
func BenchmarkCSVScan(b *testing.B) {
	const rows = 1_000_000
	var sb strings.Builder
	sb.WriteString("id,name,price,ratio,day,note\n")
	for i := range rows {
		fmt.Fprintf(&sb, "%d,name-%d,%d.%02d,%g,2024-%02d-%02d,\"a, b %d\"\n", i, i%1000, i, i%100, float64(i)/7, i%12+1, i%28+1, i)
	}
	path := filepath.Join(b.TempDir(), "bench.csv")
	formattest.Put(b, path, []byte(sb.String()))
	b.SetBytes(int64(sb.Len()))
	ro := format.ReadOptions{Table: benchTable}
	b.ResetTimer()
	for b.Loop() {
		out, err := formattest.Scan(f, path, 0, ro)
		if err != nil {
			b.Fatal(err)
		}
		formattest.Release(out)
	}
	b.ReportMetric(float64(b.N)*rows/b.Elapsed().Seconds(), "rows/s")
}
