package shuffle

import (
	"context"
	"testing"

	"github.com/minio/minio-go/v7"

	"github.com/drover-etl/drover/internal/testutil"
	"github.com/drover-etl/drover/spill"
	"github.com/drover-etl/drover/storage"
	_ "github.com/drover-etl/drover/storage/s3"
)

// TestWriterSpillsToS3 is TestWriterSpillsUnderTinyBudget with the runs
// file on MinIO (read back by ranged GETs): the objects are the same, the
// pool is given back, and no spill object is left.
func TestWriterSpillsToS3(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a MinIO server")
	}
	m := testutil.StartMinIO(t)
	m.MakeBucket(t, "spill")
	m.SetEnv(t)
	storage.ResetCache()
	t.Cleanup(storage.ResetCache)
	place, err := spill.NewPlace("s3://spill/tmp", nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	c, err := m.Client()
	if err != nil {
		t.Fatal(err)
	}
	writerSpills(t, place.Dir(ctx, spill.Task{Run: "r", Executor: "e", ID: "0.0.0"}), func() int {
		n := 0
		for range c.ListObjects(ctx, "spill", minio.ListObjectsOptions{Recursive: true}) {
			n++
		}
		return n
	})
}
