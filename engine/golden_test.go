package engine

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/drover-etl/drover/format/csv"
	_ "github.com/drover-etl/drover/format/jsonl"
	_ "github.com/drover-etl/drover/format/parquet"
	"github.com/drover-etl/drover/sampledata"
	_ "github.com/drover-etl/drover/storage/local"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestMain generates the data the golden jobs read, at fixed relative
// paths, so explain output (which names paths and splits) is stable.
func TestMain(m *testing.M) {
	flag.Parse()
	os.RemoveAll("testdata/gen")
	_, err := sampledata.Generate(context.Background(), sampledata.Config{
		Dir: "testdata/gen/data", Customers: 50, OrdersPerDay: 200, Days: 2, End: "2026-11-20", Seed: 1,
	})
	if err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll("testdata/gen")
	os.Exit(code)
}

// TestGoldenExplain compiles each job and compares the full explain output
// (logical, optimized, physical plans and the stage graph) with its golden
// file. Regenerate with: go test ./engine -run Golden -update
func TestGoldenExplain(t *testing.T) {
	jobs, _ := filepath.Glob("testdata/jobs/*.hcl")
	jobs = append(jobs, "../jobs/daily_revenue.hcl")
	for _, job := range jobs {
		name := strings.TrimSuffix(filepath.Base(job), ".hcl")
		t.Run(name, func(t *testing.T) {
			opts := Options{Parallelism: 2}
			if strings.HasPrefix(job, "../jobs/") {
				opts.Vars = map[string]string{"data": "testdata/gen/data", "out": "testdata/gen/out"}
			}
			c, err := Compile(context.Background(), job, opts)
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", name+".golden")
			got := c.Explain()
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("explain output differs from %s (run with -update after checking):\n%s", golden, got)
			}
		})
	}
}
