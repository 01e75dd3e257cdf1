package conformance

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

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
	src := jobText(tables, query, out)
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

// heredoc ends the query's heredoc; no query contains it on a line.
const heredoc = "DROVER_CONFORMANCE_SQL"

// jobText is the job file: one Parquet source per table, the query as a
// SQL view, an overwrite Parquet sink. The query is passed verbatim: only
// HCL's template sequences are escaped, which the heredoc turns back.
func jobText(tables map[string]string, query, out string) string {
	var sb strings.Builder
	sb.WriteString("job \"conformance\" {\n")
	names := make([]string, 0, len(tables))
	for n := range tables {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(&sb, "  source %q {\n    format = \"parquet\"\n    path   = %s\n  }\n", n, hclString(tables[n]+"/"))
	}
	q := strings.NewReplacer("${", "$${", "%{", "%%{").Replace(strings.TrimRight(query, "; \n\t"))
	fmt.Fprintf(&sb, "  view \"result\" {\n    sql = <<%s\n%s\n%s\n  }\n", heredoc, q, heredoc)
	fmt.Fprintf(&sb, "  sink \"result\" {\n    from   = \"result\"\n    format = \"parquet\"\n    path   = %s\n    mode   = \"overwrite\"\n  }\n}\n", hclString(out+"/"))
	return sb.String()
}

// hclString quotes s as an HCL string literal without template sequences.
func hclString(s string) string {
	q := fmt.Sprintf("%q", s)
	return strings.NewReplacer("${", "$${", "%{", "%%{").Replace(q)
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
