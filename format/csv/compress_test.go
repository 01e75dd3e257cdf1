package csvfmt_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/csv/formattest"
)

// TestCompressedRoundTrip writes gzip and zstd files through the sink
// option and reads them back: detected by name, or declared for a name
// that does not say. A compressed file is one split whatever the target.
func TestCompressedRoundTrip(t *testing.T) {
	tests := []struct{ name, write, read string }{
		{"all.csv.gz", "gzip", ""},
		{"all.csv.zst", "zstd", "auto"},
		{"all.data", "zstd", "zstd"},
		{"all.csv.zstd", "zstd", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tc.name)
			rec := formattest.AllTypes()
			defer rec.Release()
			formattest.Write(t, f, path, formattest.AllTypesSchema.Arrow(), map[string]string{"compression": tc.write}, rec)
			if raw := readFile(t, path); len(raw) < 4 || raw[:2] == "b," {
				t.Fatalf("file is not compressed: %q", raw)
			}
			opts := map[string]string{}
			if tc.read != "" {
				opts["compression"] = tc.read
			}
			if n := len(splitsOf(t, path, 1, opts)); n != 1 {
				t.Fatalf("compressed file cut into %d splits", n)
			}
			recs, err := formattest.Scan(f, path, 1, format.ReadOptions{Table: formattest.AllTypesSchema, Options: opts, BatchRows: 4})
			if err != nil {
				t.Fatal(err)
			}
			defer formattest.Release(recs)
			formattest.Equal(t, formattest.AllTypesRows, formattest.Rows(t, recs))
			s, err := f.Infer(context.Background(), formattest.Location(t, path), opts)
			if err != nil || s.Len() != formattest.AllTypesSchema.Len() {
				t.Fatalf("Infer = %v, %v", s, err)
			}
		})
	}
}

func TestCompressedErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "plain.csv.gz")
	formattest.Put(t, path, []byte("a,b\n1,2\n"))
	_, err := formattest.Scan(f, path, 0, format.ReadOptions{Table: splitTable})
	if !errors.Is(err, format.ErrCorrupt) {
		t.Fatalf("reading text named .gz: got %v, want ErrCorrupt", err)
	}
	if err := f.CheckOptions(map[string]string{"compression": "lzo"}, false); err == nil {
		t.Fatal("compression=lzo accepted")
	}
}

func TestFileExtension(t *testing.T) {
	for opt, want := range map[string]string{"": "csv", "none": "csv", "gzip": "csv.gz", "zstd": "csv.zst"} {
		if got := format.FileExtension(f, map[string]string{"Compression": opt}); got != want {
			t.Errorf("compression %q: extension %q, want %q", opt, got, want)
		}
	}
}
