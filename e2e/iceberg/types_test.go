package iceberg

import (
	"fmt"
	"testing"
)

// TestEveryTypeRoundTrips: a table of every Drover type is read back
// with the same values by iceberg-go's scan and by Drover.
func TestEveryTypeRoundTrips(t *testing.T) {
	l := localLake(t)
	in := l.writeCSV(t, "all", "b,i,l,f,d,dec,s,dt,ts",
		"true,1,10000000000,1.5,2.25,123.45,hello,2026-12-07,2026-12-07 10:11:12",
		",,,,,,,,")
	job := l.job(t, fmt.Sprintf(`
job "types" {
  %s
  source "in" {
    format = "csv"
    path   = %q
    schema = { b = "bool", i = "int32", l = "int64", f = "float32", d = "float64", dec = "decimal(10,2)", s = "string", dt = "date", ts = "timestamp" }
  }
  sink "out" {
    from   = "in"
    format = "iceberg"
    table  = "t.all_types"
    mode   = "append"
  }
}`, l.catalogBlock(), in))
	mustRun(t, job)
	tbl := l.load(t, "t.all_types")
	wantRows(t, "iceberg-go scan", icebergRows(t, tbl),
		"true|1|10000000000|1.5|2.25|123.45|hello|2026-12-07|2026-12-07T10:11:12Z",
		"(null)|(null)|(null)|(null)|(null)|(null)|(null)|(null)|(null)")
	cols := []string{"b", "i", "l", "f", "d", "dec", "s", "dt", "ts"}
	got := l.droverRows(t, "t.all_types", "", cols...)
	ref := l.csvRows(t, in, cols...)
	wantRows(t, "drover read equals the CSV read through Drover", got, ref...)
}
