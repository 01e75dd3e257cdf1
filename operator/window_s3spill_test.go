package operator

import (
	"context"
	"testing"

	"github.com/minio/minio-go/v7"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/internal/testutil"
	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/spill"
	"github.com/drover-etl/drover/storage"
	_ "github.com/drover-etl/drover/storage/s3"
)

// TestWindowSpillToS3 is TestWindowSpillMatchesUnspilled's relative ranks
// (functions that need whole partitions, so the window's passed-through
// columns spill, as does the sort below it) with spill files on MinIO:
// the answers equal the unbounded run's, the bytes are counted, the pool
// (part and read buffers too) is given back and no object is left.
func TestWindowSpillToS3(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a MinIO server")
	}
	m := testutil.StartMinIO(t)
	m.MakeBucket(t, "spill")
	m.SetEnv(t)
	storage.ResetCache()
	t.Cleanup(storage.ResetCache)
	place, err := spill.NewPlace("s3://spill/window", nil)
	if err != nil {
		t.Fatal(err)
	}
	in := windowSpillInput(20000, 50)
	var funcs []logical.WindowFuncSpec
	for _, c := range windowSpillFuncs() {
		if c.name == "relative ranks" {
			funcs = c.funcs
		}
	}
	order := []logical.SortKey{{Expr: expr.Col("", "o"), NullsFirst: true}, {Expr: expr.Col("", "id"), Desc: true}}
	w := newTestWindow(t, in, []string{"p"}, order, funcs)
	want, err := runWindowOp(t, in, w, 1000, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	pool := memory.NewPool(256 << 10)
	env := &Env{Pool: pool, Spill: place.Dir(ctx, spill.Task{Run: "20261207T180000-0123abcd", Executor: "e", ID: "1.0.0"}),
		TempDir: t.TempDir()}
	got, err := runWindowOp(t, in, w, 1000, env)
	if err != nil {
		t.Fatal(err)
	}
	assertSameRows(t, got, want)
	if env.Spilled.Load() == 0 {
		t.Fatal("nothing spilled under a 256 KiB pool")
	}
	if held := pool.Held(); held != 0 {
		t.Fatalf("the pool holds %d bytes after the task", held)
	}
	assertNoSpillFiles(t, env.TempDir) // nothing went to local disk either
	c, err := m.Client()
	if err != nil {
		t.Fatal(err)
	}
	for o := range c.ListObjects(ctx, "spill", minio.ListObjectsOptions{Recursive: true}) {
		t.Errorf("object left: %s (%v)", o.Key, o.Err)
	}
}
