package conformance

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/drover-etl/drover/bench/tpc"
	"github.com/drover-etl/drover/engine"
	"github.com/drover-etl/drover/executor"
	"github.com/drover-etl/drover/jobspec"

	// The formats and storage the suite's jobs use register themselves.
	_ "github.com/drover-etl/drover/format/parquet"
	_ "github.com/drover-etl/drover/storage/local"
)

// DroverConfig is how the suite runs Drover: in-process, with a few task
// slots and shuffle partitions and a low broadcast threshold, so that the
// distributed paths (hash and range exchanges, shuffled joins) run even on
// tiny inputs.
type DroverConfig struct {
	Parallelism int
	Partitions  int
	// BroadcastThresholdBytes: joins whose build side is estimated below
	// it are broadcast (negative: never).
	BroadcastThresholdBytes int64
}

// runDrover runs query as the one SQL view of a job whose sources are
// tables (name → directory of Parquet files), into a Parquet sink under
// out, and returns the output files in partition order (the order of a
// sorted result). The job goes through the same path a user's job file
// does: HCL text → jobspec → engine.Compile → driver with local executors.
func runDrover(ctx context.Context, cfg DroverConfig, tables map[string]string, query, out string) ([]string, error) {
	src := tpc.JobText(tables, query, out)
	job, err := jobspec.ParseSource([]byte(src), "conformance.hcl", nil)
	if err != nil {
		return nil, err
	}
	c, err := engine.CompileJob(ctx, job, engine.Options{Parallelism: cfg.Parallelism, Partitions: cfg.Partitions,
		BroadcastThresholdBytes: cfg.BroadcastThresholdBytes})
	if err != nil {
		return nil, err
	}
	defer c.Close()
	exec := executor.NewLocal(c.WithPlugins(&executor.Runtime{Name: "local"}), cfg.Parallelism)
	shuffle, err := os.MkdirTemp(filepath.Dir(out), "shuffle-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(shuffle)
	if _, err := engine.Run(ctx, c, exec, engine.RunOptions{ShuffleDir: shuffle}); err != nil {
		if ctx.Err() != nil {
			return nil, errors.Join(ctx.Err(), err)
		}
		return nil, err
	}
	return outputFiles(out)
}

// outputFiles lists a sink's data files sorted by name: part-<partition>-…,
// so a sorted result reads back in order.
func outputFiles(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read output: %w", err)
	}
	var files []string
	for _, e := range ents {
		if !e.IsDir() && strings.HasPrefix(e.Name(), "part-") && strings.HasSuffix(e.Name(), ".parquet") {
			files = append(files, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(files)
	return files, nil
}
