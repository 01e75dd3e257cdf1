package clusterbench

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/drover-etl/drover/bench/harness"
	"github.com/drover-etl/drover/internal/testutil"
)

var (
	droverBin   = flag.String("drover", "", "the drover binary (required; absolute or relative to bench/clusterbench)")
	dataRoot    = flag.String("data", "", "directory of generated data sets (as tpchbench -data)")
	sf          = flag.Float64("sf", 1, "TPC-H scale factor")
	queries     = flag.String("query", "", "comma-separated scale-suite queries (default: all)")
	results     = flag.String("results", "../results", "directory for the report")
	threads     = flag.Int("threads", 2, "local drover run --parallelism")
	memory      = flag.Int64("memory", 512<<20, "local drover run --memory (bytes)")
	executors   = flag.Int("executors", 3, "executors")
	slots       = flag.Int("slots", 2, "task slots per executor")
	execMemory  = flag.Int("executor-memory", 512, "Nomad memory per executor (MB); the executor's budget is 60% of it")
	scaleReport = flag.String("scale-report", "", "a scale report JSON on the same data: its DuckDB answers are checked too")
	timeout     = flag.Duration("query-timeout", 30*time.Minute, "bound on one run of one query")
	notes       = flag.String("notes", "", "Markdown file appended to the report")
)

// BenchmarkCluster runs the cluster suite once (whatever b.N is: one
// iteration is minutes) and writes the report; a failed or disagreeing
// query fails the benchmark after the report is written.
func BenchmarkCluster(b *testing.B) {
	if *droverBin == "" {
		b.Fatal("-drover is required: go test -bench Cluster ./clusterbench -args -drover /path/to/drover ...")
	}
	bin, err := filepath.Abs(*droverBin)
	if err != nil {
		b.Fatal(err)
	}
	res, err := filepath.Abs(*results)
	if err != nil {
		b.Fatal(err)
	}
	queryDir, err := filepath.Abs("../queries")
	if err != nil {
		b.Fatal(err)
	}
	// testutil finds the pinned servers in <repository>/bin from the
	// working directory.
	b.Chdir(filepath.Join("..", ".."))
	b.StopTimer()
	ctx := context.Background()

	mc := testutil.StartMinIO(b)
	consul := testutil.StartConsul(b)
	nomad := testutil.StartNomad(b, consul)
	mc.SetEnv(b)
	for _, kv := range append(consul.Env(), nomad.Env()...) {
		k, v, _ := strings.Cut(kv, "=")
		b.Setenv(k, v)
	}
	b.Setenv("CHECKPOINT_DISABLE", "1")
	for _, bucket := range []string{"data", "out", "shuffle"} {
		mc.MakeBucket(b, bucket)
	}
	client, err := mc.Client()
	if err != nil {
		b.Fatal(err)
	}

	log := &logWriter{b: b}
	cfg := harness.ClusterConfig{
		ScaleConfig: harness.ScaleConfig{
			Config: harness.Config{Drover: bin, QueryDir: queryDir, DataRoot: *dataRoot, ScaleFactor: *sf,
				Threads: *threads, Timeout: *timeout, Log: log},
			Memory: *memory,
		},
		DataURL: "s3://data/tpch", OutURL: "s3://out/bench", ShuffleURL: "s3://shuffle/bench",
		Executors: *executors, Slots: *slots, ExecutorMemoryMB: *execMemory,
		Fetch:   func(ctx context.Context, url, dir string) error { return fetch(ctx, client, url, dir) },
		Servers: "MinIO, Consul and Nomad dev agents from bin/ (make tools), one of each, on 127.0.0.1",
	}
	if *queries != "" {
		cfg.Queries = strings.Split(*queries, ",")
	}
	if *scaleReport != "" {
		if cfg.Expected, err = duckAnswers(*scaleReport, *sf); err != nil {
			b.Fatal(err)
		}
	}
	start := time.Now()
	ds, err := harness.EnsureData(ctx, cfg.Config)
	if err != nil {
		b.Fatal(err)
	}
	if err := upload(ctx, client, filepath.Join(ds.Dir, "parquet"), "data", "tpch"); err != nil {
		b.Fatal(err)
	}
	fmt.Fprintf(log, "uploaded %s to s3://data/tpch in %s\n", ds.Dir, time.Since(start).Round(time.Second))

	var text []byte
	if *notes != "" {
		if text, err = os.ReadFile(*notes); err != nil {
			b.Fatal(err)
		}
	}
	cfg.Progress = func(rep *harness.ClusterReport) {
		rep.Notes = string(text)
		if _, _, err := rep.Write(res); err != nil {
			fmt.Fprintln(os.Stderr, "write report:", err)
		}
	}
	b.StartTimer()
	rep, err := harness.RunCluster(ctx, cfg)
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	rep.Notes = string(text)
	md, js, err := rep.Write(res)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("wrote %s and %s", md, js)
	fmt.Println(rep.Markdown())
	if f := rep.Failed(); len(f) > 0 {
		b.Fatalf("%d queries failed or disagreed: %v", len(f), f)
	}
}

// logWriter sends the harness's progress lines to stderr at once (b.Log
// holds them until the benchmark ends).
type logWriter struct{ b *testing.B }

func (w *logWriter) Write(p []byte) (int, error) { return os.Stderr.Write(p) }

// upload copies every file under dir to bucket/prefix/<relative path>.
func upload(ctx context.Context, c *minio.Client, dir, bucket, prefix string) error {
	return filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		_, err = c.FPutObject(ctx, bucket, prefix+"/"+filepath.ToSlash(rel), p, minio.PutObjectOptions{})
		return err
	})
}

// fetch copies every object under an s3://bucket/prefix into dir.
func fetch(ctx context.Context, c *minio.Client, url, dir string) error {
	rest, ok := strings.CutPrefix(url, "s3://")
	if !ok {
		return fmt.Errorf("not an s3:// URL: %s", url)
	}
	bucket, prefix, _ := strings.Cut(rest, "/")
	prefix = strings.TrimSuffix(prefix, "/") + "/"
	for obj := range c.ListObjects(ctx, bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true}) {
		if obj.Err != nil {
			return obj.Err
		}
		dst := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(obj.Key, prefix)))
		if err := c.FGetObject(ctx, bucket, obj.Key, dst, minio.GetObjectOptions{}); err != nil {
			return fmt.Errorf("%s: %w", obj.Key, err)
		}
	}
	return nil
}

// duckAnswers reads DuckDB's answers from a scale report on the same
// scale factor.
func duckAnswers(path string, sf float64) (map[string]harness.Result, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rep harness.ScaleReport
	if err := json.Unmarshal(b, &rep); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if rep.Config.ScaleFactor != sf {
		return nil, fmt.Errorf("%s is at SF %g, not %g", path, rep.Config.ScaleFactor, sf)
	}
	m := map[string]harness.Result{}
	for _, q := range rep.Queries {
		if q.DuckDB.Completed {
			m[q.Query.Name] = q.DuckDB.Sample.Result
		}
	}
	return m, nil
}
