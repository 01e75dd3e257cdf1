package local

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/drover-etl/drover/engine"
	"github.com/drover-etl/drover/internal/testutil"
	"github.com/drover-etl/drover/storage"
	_ "github.com/drover-etl/drover/storage/s3"
)

// TestPartitionedDatasetOnS3 writes the partitioned dataset to a real
// MinIO, reads every format of it back, and prunes by partition filters
// on S3 keys (escaped values included).
func TestPartitionedDatasetOnS3(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a MinIO server")
	}
	m := testutil.StartMinIO(t)
	m.MakeBucket(t, "lake")
	m.SetEnv(t)
	storage.ResetCache()
	t.Cleanup(storage.ResetCache)
	local := t.TempDir()
	checkRoundTrip(t, local, "s3://lake/sales")

	job := writeJob(t, t.TempDir(), fmt.Sprintf(`
job "pruned" {
  source "back" {
    format = "parquet"
    path   = "s3://lake/sales/parts_parquet/"
  }
  view "v" {
    sql = "SELECT id, region, amt FROM back WHERE region IN ('eu', 'a/b') AND day < DATE '2026-11-21'"
  }
  sink "out" {
    from   = "v"
    format = "jsonl"
    path   = "%s/pruned"
  }
}`, local))
	c, err := engine.Compile(context.Background(), job, engine.Options{Parallelism: 2})
	if err != nil {
		t.Fatal(err)
	}
	match := regexp.MustCompile(`files=(\d+)/(\d+) pruned=(\d+)`).FindStringSubmatch(c.Explain())
	if match == nil {
		t.Fatalf("explain shows no file counts:\n%s", c.Explain())
	}
	kept, _ := strconv.Atoi(match[1])
	total, _ := strconv.Atoi(match[2])
	if kept != 2 || total < 9 {
		t.Errorf("explain: %s, want 2 files kept of at least 9 (one per partition)", match[0])
	}
	if _, err := runJob(t, job, runOpts{}); err != nil {
		t.Fatal(err)
	}
	got := jsonLines(t, filepath.Join(local, "pruned"))
	want := []string{`{"id":1,"region":"eu","amt":1.25}`, `{"id":2,"region":"eu","amt":2.50}`, `{"id":4,"region":"a/b","amt":4.00}`}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("got %v, want %v", got, want)
	}
}
