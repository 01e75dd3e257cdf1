package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/minio/minio-go/v7"

	"github.com/drover-etl/drover/internal/e2eutil"
	"github.com/drover-etl/drover/internal/testutil"
	"github.com/drover-etl/drover/storage"
)

// spillJob writes a job over 20,000 rows (a group-by of 5,000 groups and
// a sort) into dir, sinking CSV into dir/out-<name>.
func spillJob(t *testing.T, dir, name string) string {
	t.Helper()
	var in strings.Builder
	in.WriteString("id,k,note\n")
	for i := range 20000 {
		fmt.Fprintf(&in, "%d,%d,note-%07d\n", i, (i*7919)%5000, (i*104729)%20000)
	}
	if err := os.WriteFile(filepath.Join(dir, "in.csv"), []byte(in.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	job := filepath.Join(dir, name+".hcl")
	body := fmt.Sprintf(`job "spill" {
  source "src" {
    format = "csv"
    path   = "%[1]s/in.csv"
    schema = { id = "int64", k = "int64", note = "string" }
  }
  view "g" {
    sql = "SELECT k, count(*) AS n, sum(id) AS s, min(note) AS first FROM src GROUP BY k"
  }
  view "s" {
    sql = "SELECT note, id FROM src ORDER BY note, id"
  }
  sink "g" {
    from   = "g"
    format = "csv"
    path   = "%[1]s/out-%[2]s/g"
  }
  sink "s" {
    from     = "s"
    format   = "csv"
    path     = "%[1]s/out-%[2]s/s"
    coalesce = 1
  }
}`, dir, name)
	if err := os.WriteFile(job, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return job
}

// csvRows reads the data rows of every visible CSV file in dir (sorted
// unless keepOrder).
func csvRows(t *testing.T, dir string, keepOrder bool) []string {
	t.Helper()
	var rows []string
	for _, f := range e2eutil.VisibleFiles(t, dir) {
		for _, r := range e2eutil.ReadCSV(t, filepath.Join(dir, f))[1:] {
			rows = append(rows, strings.Join(r, ","))
		}
	}
	if !keepOrder {
		slices.Sort(rows)
	}
	return rows
}

var spilledBytes = regexp.MustCompile(`"spilled_bytes":\s*[1-9]`)

// TestRunTempDirS3 runs `drover run --temp-dir s3://…` under a 64 KiB
// budget against real MinIO: the answers equal an unspilled run's, the
// summary counts spilled bytes, and no spill object is left in the bucket.
func TestRunTempDirS3(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a MinIO server")
	}
	m := testutil.StartMinIO(t)
	m.MakeBucket(t, "spill")
	m.SetEnv(t)
	storage.ResetCache()
	t.Cleanup(storage.ResetCache)
	dir := t.TempDir()
	runJobCmd(t, spillJob(t, dir, "ref"))
	metrics := filepath.Join(dir, "metrics.json")
	runJobCmd(t, spillJob(t, dir, "s3"), "--memory", "65536", "--temp-dir", "s3://spill/tmp", "--metrics-json", metrics)
	for _, sink := range []string{"g", "s"} {
		want := csvRows(t, filepath.Join(dir, "out-ref", sink), sink == "s")
		got := csvRows(t, filepath.Join(dir, "out-s3", sink), sink == "s")
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("%s: %d rows spilled to S3 differ from the %d unspilled ones", sink, len(got), len(want))
		}
	}
	js, err := os.ReadFile(metrics)
	if err != nil {
		t.Fatal(err)
	}
	if !spilledBytes.Match(js) {
		t.Error("the run summary counts no spilled bytes")
	}
	c, err := m.Client()
	if err != nil {
		t.Fatal(err)
	}
	for o := range c.ListObjects(context.Background(), "spill", minio.ListObjectsOptions{Recursive: true}) {
		t.Errorf("object left: %s (%v)", o.Key, o.Err)
	}
}

// TestRunTempDirNotWritable: with a temp dir that does not exist and no
// S3 to fall back on, the first spill fails the run naming the directory
// and the flag.
func TestRunTempDirNotWritable(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "no-such-dir")
	cmd := runCmd()
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(&bytes.Buffer{})
	cmd.SetArgs([]string{spillJob(t, dir, "x"), "--parallelism", "2", "--event-log-dir", "off", "--ui-addr", "off",
		"--memory", "65536", "--temp-dir", missing})
	err := cmd.ExecuteContext(context.Background())
	if err == nil {
		t.Fatal("the run spilled into a directory that does not exist")
	}
	for _, want := range []string{missing, "not writable", "--temp-dir"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not say %q: %v", want, err)
		}
	}
}
