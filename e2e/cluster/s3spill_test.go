package cluster

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/drover-etl/drover/adaptive"
	"github.com/drover-etl/drover/driver"
	"github.com/drover-etl/drover/engine"
	"github.com/drover-etl/drover/executor"
	"github.com/drover-etl/drover/storage"
)

// TestExecutorsWithoutLocalDiskSpillToS3 runs TestExecutorsTooSmallSpill's
// job on 3 Nomad executors whose temp dir does not exist (--temp-dir, as
// `drover submit --executor-temp-dir` passes it): they spill under the
// run's S3 shuffle directory instead. The answers equal an unbounded
// local run's, the operators spilled, the spill objects were deleted by
// the tasks themselves (the stages' S3 DELETE requests; the unspilled run
// makes none), and nothing is left under the run's prefix.
func TestExecutorsWithoutLocalDiskSpillToS3(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	generateSpillData(ctx, t)
	off := adaptive.Config{Disabled: true}
	local := compileSpillJob(t, "nodisk-local")
	lsum, err := engine.Run(ctx, local, executor.NewLocal(&executor.Runtime{Name: "local"}, 2),
		engine.RunOptions{ShuffleDir: "s3://shuffle/nodisk-local", Adaptive: off})
	if err != nil {
		t.Fatal(err)
	}

	missing := filepath.Join(t.TempDir(), "no-such-dir")
	cl, run, csum := runSpillCluster(ctx, t, e, "nodisk-cluster", "--temp-dir", missing)
	defer cl.Close(context.Background())
	compareSpillOutputs(t, "nodisk-local", "nodisk-cluster")
	if ld, cd := deletes(lsum), deletes(csum); ld != 0 || cd == 0 {
		t.Errorf("tasks deleted %d objects in the unspilled run and %d in the spilled one; want none and some", ld, cd)
	}
	if err := cl.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if left, _ := storage.Expand(ctx, "s3://shuffle/nodisk-cluster/"+run+"/"); len(left) > 0 {
		t.Errorf("objects left behind under the run: %d", len(left))
	}
}

// deletes counts the S3 DELETE requests of a run's tasks.
func deletes(sum *driver.Summary) int64 {
	var n int64
	for _, st := range sum.Stages {
		n += st.Metrics.S3.Delete.Requests
	}
	return n
}
