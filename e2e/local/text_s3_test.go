package local

import (
	"bytes"
	"context"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"

	"github.com/drover-etl/drover/format"
	csvfmt "github.com/drover-etl/drover/format/csv"
	"github.com/drover-etl/drover/format/csv/formattest"
	"github.com/drover-etl/drover/internal/testutil"
	"github.com/drover-etl/drover/storage"
	_ "github.com/drover-etl/drover/storage/s3"
	"github.com/drover-etl/drover/types"
)

var layoutTable = types.NewSchema(types.Field{Name: "id", Type: types.Int64Type},
	types.Field{Name: "k", Type: types.StringType}, types.Field{Name: "note", Type: types.StringType})

// TestTextAtScaleS3 reads split and compressed text through real MinIO
// (ranged reads for byte ranges) and runs a job from a gzip CSV on S3 to
// rolled files committed in place on S3 (3000 rows of ~19 bytes, checked
// for size every 1024 rows: three files).
func TestTextAtScaleS3(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a MinIO server")
	}
	m := testutil.StartMinIO(t)
	m.MakeBucket(t, "text")
	m.SetEnv(t)
	storage.ResetCache()
	t.Cleanup(storage.ResetCache)

	data, want := layoutInput(3000)
	formattest.Put(t, "s3://text/in/plain.csv", []byte(data))
	formattest.Put(t, "s3://text/in/zipped/data.csv.gz", gzipped(t, data))
	t.Run("SplitsOverRangedReads", func(t *testing.T) {
		for _, target := range []int64{0, 97, 1000, 4096, 30_000} {
			recs, err := formattest.Scan(csvfmt.Format{}, "s3://text/in/plain.csv", target, format.ReadOptions{Table: layoutTable, BatchRows: 100})
			if err != nil {
				t.Fatalf("target %d: %v", target, err)
			}
			got := joinRows(formattest.Rows(t, recs))
			formattest.Release(recs)
			if !slices.Equal(got, want) {
				t.Fatalf("target %d: %d rows differ from the %d written", target, len(got), len(want))
			}
		}
	})
	t.Run("GzipSourceToRolledFiles", func(t *testing.T) {
		dir := t.TempDir()
		job := `
job "s3text" {
  source "src" {
    format = "csv"
    path   = "s3://text/in/zipped/"
    schema = { id = "int64", k = "string", note = "string" }
  }
  sink "out" {
    from             = "src"
    format           = "csv"
    path             = "s3://text/out/"
    coalesce         = 1
    target_file_size = "8KB"
  }
}`
		if _, err := runJob(t, writeJob(t, dir, job), runOpts{}); err != nil {
			t.Fatal(err)
		}
		var files []string // the data files, without _SUCCESS and the manifest
		objects := s3Objects(t, "s3://text/out/")
		for _, f := range objects {
			if !strings.HasPrefix(f, "_") {
				files = append(files, f)
			}
		}
		if len(files) < 3 || !slices.Contains(objects, "_SUCCESS") || !slices.Contains(objects, "_drover_manifest.json") {
			t.Fatalf("output objects %v: want _SUCCESS, the manifest and several rolled files", objects)
		}
		var got []string
		for _, f := range files {
			recs, err := formattest.Scan(csvfmt.Format{}, "s3://text/out/"+f, 0, format.ReadOptions{Table: layoutTable})
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, joinRows(formattest.Rows(t, recs))...)
			formattest.Release(recs)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Fatalf("%d rows read back from %d files, want the %d written", len(got), len(files), len(want))
		}
	})
}

func gzipped(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	z := gzip.NewWriter(&b)
	if _, err := z.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// joinRows renders rows as "v1,v2,…", sorted.
func joinRows(rows [][]string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = strings.Join(r, ",")
	}
	slices.Sort(out)
	return out
}

// s3Objects lists the object names under url, sorted.
func s3Objects(t *testing.T, url string) []string {
	t.Helper()
	loc, err := storage.Resolve(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	infos, err := loc.Store.List(context.Background(), loc.Key)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, in := range infos {
		out = append(out, path.Base(in.Key))
	}
	slices.Sort(out)
	return out
}
