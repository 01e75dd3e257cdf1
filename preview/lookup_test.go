package preview

import (
	"testing"

	_ "github.com/drover-etl/drover/format/csv"
	_ "github.com/drover-etl/drover/format/jsonl"
	_ "github.com/drover-etl/drover/format/parquet"
)

func TestLookupByExtension(t *testing.T) {
	for key, want := range map[string]string{
		"out/part-00000-x.csv":       "csv",
		"out/part-00000-x.csv.gz":    "csv",
		"out/part-00000-x.jsonl.zst": "jsonl",
		"out/a.json.zstd":            "jsonl",
		"out/part-00000-x.parquet":   "parquet",
	} {
		f, err := lookup("", key)
		if err != nil || f.Name() != want {
			t.Errorf("lookup(%q) = %v, %v; want %s", key, f, err, want)
		}
	}
}
