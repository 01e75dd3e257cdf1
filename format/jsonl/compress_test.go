package jsonlfmt_test

import (
	"path/filepath"
	"testing"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/csv/formattest"
)

func TestCompressedRoundTrip(t *testing.T) {
	for _, tc := range []struct{ name, codec string }{{"all.jsonl.gz", "gzip"}, {"all.jsonl.zst", "zstd"}} {
		path := filepath.Join(t.TempDir(), tc.name)
		rec := formattest.AllTypes()
		defer rec.Release()
		formattest.Write(t, f, path, formattest.AllTypesSchema.Arrow(), map[string]string{"compression": tc.codec}, rec)
		if raw := readFile(t, path); len(raw) == 0 || raw[0] == '{' {
			t.Fatalf("%s is not compressed", tc.name)
		}
		recs, err := formattest.Scan(f, path, 1, format.ReadOptions{Table: formattest.AllTypesSchema, BatchRows: 4})
		if err != nil {
			t.Fatal(err)
		}
		defer formattest.Release(recs)
		formattest.Equal(t, formattest.AllTypesRows, formattest.Rows(t, recs))
	}
}
