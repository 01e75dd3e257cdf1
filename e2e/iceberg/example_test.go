package iceberg

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/drover-etl/drover/engine"
	"github.com/drover-etl/drover/executor"
	"github.com/drover-etl/drover/internal/e2eutil"
	"github.com/drover-etl/drover/sampledata"
)

// TestExampleJob runs jobs/iceberg.hcl twice on the demo data: the
// dynamic overwrites replace the same days, so the tables keep the same
// rows, now at a second snapshot.
func TestExampleJob(t *testing.T) {
	ctx := context.Background()
	data := filepath.Join(t.TempDir(), "data")
	if _, err := sampledata.Generate(ctx, sampledata.Config{Dir: data, Customers: 100, OrdersPerDay: 300, Days: 2, End: "2026-11-20", Seed: 5}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	job := filepath.Join(e2eutil.RepoRoot(t), "jobs", "iceberg.hcl")
	l := &lake{uri: "sqlite://" + filepath.Join(dir, "catalog.db"), warehouse: "file://" + filepath.Join(dir, "warehouse")}
	var first map[string][]string
	for run := range 2 {
		c, err := engine.Compile(ctx, job, engine.Options{Vars: map[string]string{"data": data, "lake": dir}, Parallelism: 2})
		if err != nil {
			t.Fatal(err)
		}
		ex := executor.NewLocal(&executor.Runtime{Name: "example", TempDir: t.TempDir()}, 2)
		_, err = engine.Run(ctx, c, ex, engine.RunOptions{})
		c.Close()
		if err != nil {
			t.Fatal(err)
		}
		rows := map[string][]string{}
		for _, name := range []string{"sales.paid_orders", "sales.daily_revenue"} {
			tbl := l.load(t, name)
			if n := len(snapshots(t, tbl)); n != run+1 {
				t.Fatalf("%s: %d snapshots after run %d", name, n, run+1)
			}
			rows[name] = icebergRows(t, tbl)
			if len(rows[name]) == 0 {
				t.Fatalf("%s is empty", name)
			}
		}
		if run == 0 {
			first = rows
			continue
		}
		for name, r := range rows {
			wantRows(t, name+" after the second run", r, first[name]...)
		}
	}
}
