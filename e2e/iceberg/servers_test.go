package iceberg

import (
	"fmt"
	"testing"

	"github.com/drover-etl/drover/internal/testutil"
	"github.com/drover-etl/drover/storage"
	_ "github.com/drover-etl/drover/storage/s3"
)

// TestMinIOPostgres runs the suites in cluster-mode storage: a SQL
// catalog on a real PostgreSQL server and the warehouse on MinIO. Each
// suite writes its own namespace.
func TestMinIOPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts MinIO and PostgreSQL")
	}
	m := testutil.StartMinIO(t)
	m.MakeBucket(t, "lake")
	m.SetEnv(t)
	storage.ResetCache()
	t.Cleanup(storage.ResetCache)
	pg := testutil.StartPostgres(t)
	for i, tt := range lakeTests {
		t.Run(tt.name, func(t *testing.T) {
			tt.run(t, &lake{uri: pg.URI, warehouse: "s3://lake/wh", dir: t.TempDir(), tbl: fmt.Sprintf("suite%d.orders", i)})
		})
	}
}
