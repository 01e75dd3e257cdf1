package cluster

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/drover-etl/drover/adaptive"
	"github.com/drover-etl/drover/cluster"
	"github.com/drover-etl/drover/driver"
	"github.com/drover-etl/drover/engine"
	"github.com/drover-etl/drover/executor"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/tpch"
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
	if _, err := tpch.Generate(ctx, tpch.Config{Dir: "s3://data/tpch", ScaleFactor: 0.01, Seed: 10,
		Formats: []string{"parquet"}, Tables: []string{tpch.Orders, tpch.Lineitem}}); err != nil {
		t.Fatal(err)
	}
	off := adaptive.Config{Disabled: true}
	local := compileSpillJob(t, "nodisk-local")
	lsum, err := engine.Run(ctx, local, executor.NewLocal(&executor.Runtime{Name: "local"}, 2),
		engine.RunOptions{ShuffleDir: "s3://shuffle/nodisk-local", Adaptive: off})
	if err != nil {
		t.Fatal(err)
	}

	c := compileSpillJob(t, "nodisk-cluster")
	run := engine.NewRunID()
	missing := filepath.Join(t.TempDir(), "no-such-dir")
	cl, err := cluster.Start(ctx, cluster.Config{Executors: 3, SlotsPerExecutor: 2, Binary: e.binary, CPU: 100, MemoryMB: 256,
		Env: e.s3Env(), Secrets: e.s3Secrets(), ExtraArgs: []string{"--memory", strconv.Itoa(spillBudget), "--temp-dir", missing}},
		c.Job.Name, run)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close(context.Background())
	waitLive(t, cl, 3)
	csum, err := engine.Run(ctx, c, cl.Executor(), engine.RunOptions{ShuffleDir: "s3://shuffle/nodisk-cluster", Run: run,
		Scaler: cl, Adaptive: off})
	if err != nil {
		t.Fatal(err)
	}
	compareSpillOutputs(t, "nodisk-local", "nodisk-cluster")

	spilled := spilledByOperator(c, csum)
	t.Logf("spilled bytes by operator: %v; by stage: %v", spilled, stageSpills(csum))
	for _, op := range []physical.Op{physical.OpHashAgg, physical.OpHashJoin, physical.OpSort} {
		if spilled[op] == 0 {
			t.Errorf("no %s spilled under a %d-byte executor budget", op, spillBudget)
		}
	}
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
