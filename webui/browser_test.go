package webui

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/drover-etl/drover/eventlog"
	"github.com/drover-etl/drover/internal/browsertest"
)

// emitUntil emits events from evs[from:] up to and including the n-th
// successful task_end (n = 0: up to the first task_end, excluded) and
// returns the next index.
func emitUntil(l *Live, evs []eventlog.Event, from, n int) int {
	seen := 0
	for i := from; i < len(evs); i++ {
		ev := evs[i]
		if ev.Type == eventlog.TaskEnd && n == 0 {
			return i
		}
		l.Emit(ev)
		if ev.Type == eventlog.TaskEnd && ev.Task.Status == eventlog.StatusSucceeded {
			if seen++; seen == n {
				return i + 1
			}
		}
	}
	return len(evs)
}

// The live UI in a real browser: the stage graph, a 500-task stage whose
// table fills in through server-sent events without a reload, a failed
// attempt's error, and paging.
func TestBrowserLiveRun(t *testing.T) {
	evs := sampleEvents(500, true)
	l := &Live{}
	srv := httptest.NewServer(New(l, 50*time.Millisecond))
	// Registered before the browser's cleanup, so it runs after it: Close
	// waits for open event streams, which end when the browser does.
	t.Cleanup(srv.Close)
	ctx := browsertest.Start(t)

	next := emitUntil(l, evs, 0, 0)
	browsertest.Navigate(t, ctx, srv.URL+"/runs/run1")
	if n := browsertest.Count(t, ctx, "#dag g.stage"); n != 2 {
		t.Fatalf("stage graph has %d stages, want 2", n)
	}
	browsertest.WaitFor(t, ctx, `document.querySelector('#dag g.stage[data-stage="0"]').dataset.state == "running"`)
	browsertest.Screenshot(t, ctx, "1-run-started")

	browsertest.Navigate(t, ctx, srv.URL+"/runs/run1/stages/0")
	if n := browsertest.Count(t, ctx, `#tasks tr[data-status="succeeded"]`); n != 0 {
		t.Fatalf("%d tasks succeeded before any finished", n)
	}
	// Tasks finish while the page is open: the table fills in by itself.
	next = emitUntil(l, evs, next, 10)
	browsertest.WaitFor(t, ctx, `document.querySelectorAll('#tasks tr[data-status="succeeded"]').length == 10`)
	if got := browsertest.Text(t, ctx, "#failed"); !strings.Contains(got, "connection reset") {
		t.Fatalf("failed attempts table = %q, want the attempt's error", got)
	}
	browsertest.Screenshot(t, ctx, "2-stage-filling")

	// The rest of the run; the 500-task stage is paged.
	for next < len(evs) {
		next = emitUntil(l, evs, next, 100)
	}
	browsertest.WaitFor(t, ctx, `document.getElementById("stage-state").textContent == "succeeded"`)
	if n := browsertest.Count(t, ctx, "#tasks tr[data-task]"); n != PageSize {
		t.Fatalf("page lists %d tasks, want %d", n, PageSize)
	}
	browsertest.FollowLink(t, ctx, "#next")
	// The click loads another page: wait for an element only it has.
	browsertest.WaitFor(t, ctx, `document.querySelector("#prev") !== null`)
	if page := browsertest.Text(t, ctx, "#page"); page != "2" {
		t.Fatalf("after next: page %q", page)
	}
	if first := browsertest.Text(t, ctx, "#tasks tr[data-task] td"); first != "100" {
		t.Fatalf("page 2 starts at task %q, want 100", first)
	}
	browsertest.Navigate(t, ctx, srv.URL+"/runs/run1")
	if got := browsertest.Text(t, ctx, "#run-status"); got != "failed" {
		t.Fatalf("run status %q", got)
	}
	browsertest.Screenshot(t, ctx, "3-run-failed")
}

// A resumed run's live UI in a real browser: the tasks the new driver
// takes from the journal appear as done and reused (badge, stage graph,
// counts), while the stage page is open.
func TestBrowserResumedRun(t *testing.T) {
	_, evs := resumedEvents(3)
	l := &Live{}
	srv := httptest.NewServer(New(l, 50*time.Millisecond))
	t.Cleanup(srv.Close)
	ctx := browsertest.Start(t)

	next := emitUntil(l, evs, 0, 0) // up to stage 0's start
	browsertest.Navigate(t, ctx, srv.URL+"/runs/run1/stages/0")
	if n := browsertest.Count(t, ctx, `#tasks tr[data-reused="true"]`); n != 0 {
		t.Fatalf("%d tasks reused before the driver said so", n)
	}
	emitUntil(l, evs, next, 3) // the three reused tasks
	browsertest.WaitFor(t, ctx, `document.querySelectorAll('#tasks tr[data-status="succeeded"][data-reused="true"]').length == 3`)
	if got := browsertest.Text(t, ctx, "#tasks tr[data-task] .reused"); got != "reused from journal" {
		t.Fatalf("reused badge %q", got)
	}
	if got := browsertest.Text(t, ctx, "#stage-reused"); got != "3" {
		t.Fatalf("stage header counts %q reused", got)
	}
	browsertest.Screenshot(t, ctx, "resumed-stage")
	for next < len(evs) {
		next = emitUntil(l, evs, next, 100)
	}
	browsertest.Navigate(t, ctx, srv.URL+"/runs/run1")
	browsertest.WaitFor(t, ctx, `document.getElementById("run-status").textContent == "succeeded"`)
	if got := browsertest.Text(t, ctx, `#stages tr[data-stage="0"] .reused`); got != "(3 reused)" {
		t.Fatalf("stage table: %q", got)
	}
	// SVG elements have no innerText (browsertest.Text): read textContent.
	dagBox := browsertest.Run(t, ctx, chromedp.Evaluate[string](`document.querySelector('#dag g.stage[data-stage="0"]').textContent`))
	if got := dagBox; !strings.Contains(got, "3/3 tasks, 3 reused") {
		t.Fatalf("stage graph box: %q", got)
	}
	if n := browsertest.Count(t, ctx, `#stages .reused`); n != 1 {
		t.Fatalf("%d stages shown with reused tasks, want 1", n)
	}
}
