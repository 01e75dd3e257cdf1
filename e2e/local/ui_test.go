package local

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/drover-etl/drover/adaptive"
	"github.com/drover-etl/drover/engine"
	"github.com/drover-etl/drover/eventlog"
	"github.com/drover-etl/drover/executor"
	"github.com/drover-etl/drover/internal/browsertest"
	"github.com/drover-etl/drover/internal/e2eutil"
	"github.com/drover-etl/drover/sampledata"
	"github.com/drover-etl/drover/webui"
)

// TestUIOfA500TaskRun runs the demo job locally with 500 shuffle
// partitions, recording into the live UI, and reads the result in
// headless Chromium: the graph has the planned stages, a 500-task stage
// is paged 100 tasks at a time, the stage table's rows agree with the
// driver's summary, and the plan shows per-operator rows.
func TestUIOfA500TaskRun(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if _, err := sampledata.Generate(ctx, sampledata.Config{Dir: data, Customers: 200, OrdersPerDay: 2000, Days: 2, End: "2026-11-20", Seed: 3}); err != nil {
		t.Fatal(err)
	}
	job := filepath.Join(e2eutil.RepoRoot(t), "jobs", "daily_revenue.hcl")
	c, err := engine.Compile(ctx, job, engine.Options{Vars: map[string]string{"data": data, "out": filepath.Join(dir, "out")}, Parallelism: 4, Partitions: 500})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	live := &webui.Live{}
	rec := eventlog.NewRecorder(nil, live.Emit)
	rec.Start(eventlog.RunInfo{ID: "r500", Job: c.Job.Name, Mode: "local", Plans: c.Explain(), Stages: eventlog.Stages(c.Stages)})
	ex := executor.NewLocal(&executor.Runtime{Name: "local", TempDir: t.TempDir()}, 4)
	rec.ExecutorsChanged([]eventlog.ExecutorInfo{{ID: "local", Slots: ex.Slots()}}, "")
	// As planned: adaptive execution would coalesce the 500 small
	// partitions into a few tasks, and the paging is what is tested.
	sum, err := engine.Run(ctx, c, ex, engine.RunOptions{Progress: rec, Observer: rec, Run: "r500", Adaptive: adaptive.Config{Disabled: true}})
	rec.End(err)
	if err != nil {
		t.Fatal(err)
	}
	// Closed after the browser (cleanups run last-in first-out).
	srv := httptest.NewServer(webui.New(live, 100*time.Millisecond))
	t.Cleanup(srv.Close)
	bctx := browsertest.Start(t)

	browsertest.Navigate(t, bctx, srv.URL+"/runs/r500")
	if n := browsertest.Count(t, bctx, "#dag g.stage"); n != len(c.Stages.Stages) {
		t.Fatalf("graph draws %d stages, the plan has %d", n, len(c.Stages.Stages))
	}
	big := -1
	for _, st := range sum.Stages {
		got := browsertest.Text(t, bctx, fmt.Sprintf(`#stages tr[data-stage="%d"] td[data-metric="rows_in"]`, st.ID))
		if want := fmt.Sprint(st.Metrics.RowsIn); got != want {
			t.Errorf("stage %d: UI says %s rows in, the driver %s", st.ID, got, want)
		}
		if st.Tasks == 500 {
			big = st.ID
		}
	}
	if big < 0 {
		t.Fatal("no stage has 500 tasks")
	}
	browsertest.Screenshot(t, bctx, "1-run")

	browsertest.Navigate(t, bctx, fmt.Sprintf("%s/runs/r500/stages/%d", srv.URL, big))
	if n := browsertest.Count(t, bctx, `#tasks tr[data-status="succeeded"]`); n != webui.PageSize {
		t.Fatalf("page 1 lists %d succeeded tasks, want %d", n, webui.PageSize)
	}
	if got := browsertest.Text(t, bctx, "#page"); got != "1" || !strings.Contains(browsertest.Text(t, bctx, "main"), "500 tasks, page 1 of 5") {
		t.Fatalf("paging: page %q", got)
	}
	browsertest.Screenshot(t, bctx, "2-stage-500-tasks")
	browsertest.FollowLink(t, bctx, "#next")
	browsertest.WaitFor(t, bctx, `document.querySelector("#prev") !== null`)
	if first := browsertest.Text(t, bctx, "#tasks tr[data-task] td"); first != "100" {
		t.Fatalf("page 2 starts at task %q", first)
	}

	browsertest.Navigate(t, bctx, srv.URL+"/runs/r500/plan")
	if n := browsertest.Count(t, bctx, "table.ops tr td.num:not(:empty)"); n == 0 {
		t.Fatal("the plan shows no operator counters")
	}
	browsertest.Screenshot(t, bctx, "3-plan")
}
