package webui

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/drover-etl/drover/eventlog"
	_ "github.com/drover-etl/drover/storage/local"
)

// sampleEvents is a run of two stages: stage 0 (tasks tasks) finished,
// with one failed attempt on partition 1; stage 1 started with task 0
// running. It ends there unless ended is set.
func sampleEvents(tasks int, ended bool) []eventlog.Event {
	at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	var evs []eventlog.Event
	add := func(ev eventlog.Event) {
		at = at.Add(time.Millisecond)
		ev.Time, ev.Seq, ev.V = at, int64(len(evs)+1), eventlog.Version
		evs = append(evs, ev)
	}
	add(eventlog.Event{Type: eventlog.RunStart, Run: &eventlog.RunInfo{ID: "run1", Job: "demo", Mode: "cluster", Plans: "== Physical plan ==\nScan",
		Stages: []eventlog.StageTemplate{
			{ID: 0, Partitions: tasks, Description: "Scan → hash", Output: "hash", Plan: "Scan orders"},
			{ID: 1, Parents: []int{0}, Partitions: 2, Description: "write out", Output: "sink", Sink: "out", Plan: "Write out\n  StageRead 0"},
		}}})
	add(eventlog.Event{Type: eventlog.ExecutorAdded, Executor: &eventlog.ExecutorInfo{ID: "10.0.0.1:7000", Alloc: "a1", Node: "n1", Slots: 2, MemoryMB: 1024}})
	add(eventlog.Event{Type: eventlog.StageStart, Stage: &eventlog.StageInfo{ID: 0, Tasks: tasks}})
	for p := 0; p < tasks; p++ {
		add(eventlog.Event{Type: eventlog.TaskStart, Task: &eventlog.TaskInfo{Stage: 0, Partition: p, Attempt: 0}})
		if p == 1 {
			add(eventlog.Event{Type: eventlog.TaskEnd, Task: &eventlog.TaskInfo{Stage: 0, Partition: 1, Attempt: 0, Executor: "10.0.0.1:7000",
				Status: eventlog.StatusFailed, Class: "retryable", Error: "read s3://data/x.csv: connection reset"}})
			add(eventlog.Event{Type: eventlog.TaskStart, Task: &eventlog.TaskInfo{Stage: 0, Partition: 1, Attempt: 1}})
		}
		add(eventlog.Event{Type: eventlog.TaskEnd, Task: &eventlog.TaskInfo{Stage: 0, Partition: p, Attempt: map[bool]int{true: 1}[p == 1],
			Executor: "10.0.0.1:7000", Status: eventlog.StatusSucceeded,
			Metrics: map[string]int64{"rows_in": int64(100 + p), "rows_out": 10, "duration": int64(time.Second), "s3_requests": 3, "s3_delete_requests": 0}}})
	}
	add(eventlog.Event{Type: eventlog.StageEnd, Stage: &eventlog.StageInfo{ID: 0, Metrics: map[string]int64{"rows_in": 1, "s3_requests": 3}}})
	add(eventlog.Event{Type: eventlog.StageStart, Stage: &eventlog.StageInfo{ID: 1, Tasks: 2}})
	add(eventlog.Event{Type: eventlog.TaskStart, Task: &eventlog.TaskInfo{Stage: 1, Partition: 0, Attempt: 0}})
	if ended {
		add(eventlog.Event{Type: eventlog.ExecutorLost, Executor: &eventlog.ExecutorInfo{ID: "10.0.0.1:7000", Reason: "gone"}})
		add(eventlog.Event{Type: eventlog.RunEnd, End: &eventlog.RunEndInfo{Status: eventlog.StatusFailed, Error: "task 1.0 failed"}})
	}
	return evs
}

func TestBuildStates(t *testing.T) {
	cases := []struct {
		name            string
		ended, live     bool
		run, st1, task0 string
	}{
		{"live and running", false, true, StateRunning, StateRunning, StateRunning},
		{"history without run_end", false, false, StateIncomplete, StateIncomplete, StateIncomplete},
		{"failed run", true, false, eventlog.StatusFailed, eventlog.StatusFailed, eventlog.StatusFailed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Build(sampleEvents(4, c.ended), c.live)
			if r.Status != c.run || r.Stages[1].State != c.st1 || r.Stages[1].Tasks[0].Status() != c.task0 {
				t.Fatalf("run %s stage1 %s task %s", r.Status, r.Stages[1].State, r.Stages[1].Tasks[0].Status())
			}
			if r.Stages[0].State != eventlog.StatusSucceeded || r.Stages[1].Depth != 1 {
				t.Errorf("stage 0 %s, stage 1 depth %d", r.Stages[0].State, r.Stages[1].Depth)
			}
			done, _, failed := r.Stages[0].Counts()
			if done != 4 || failed != 1 || len(r.Stages[0].Tasks[1].Attempts) != 2 {
				t.Errorf("done %d failed %d attempts %d", done, failed, len(r.Stages[0].Tasks[1].Attempts))
			}
			ex := r.Executors[0]
			if ex.Tasks != 5 || ex.Failed != 1 || ex.Alloc != "a1" {
				t.Errorf("executor %+v", ex)
			}
		})
	}
}

func get(t *testing.T, h http.Handler, url string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", url, nil))
	return rec.Code, rec.Body.String()
}

func liveServer(evs []eventlog.Event) *Server {
	l := &Live{}
	for _, ev := range evs {
		l.Emit(ev)
	}
	return New(l, time.Millisecond)
}

func TestPages(t *testing.T) {
	s := liveServer(sampleEvents(500, false))
	cases := []struct {
		url  string
		code int
		want []string
	}{
		{"/", 200, []string{`data-run="run1"`, "running"}},
		{"/runs/run1", 200, []string{`<svg id="dag"`, `data-stage="0" data-state="succeeded"`, `data-stage="1" data-state="running"`,
			"<line", "500/500 tasks, 1 failed attempts", "a1", "s3 requests", "EventSource"}},
		{"/runs/run1/stages/0", 200, []string{`<span id="page">1</span> of 5`, `data-task="99"`, "connection reset", "s3 requests", "next →"}},
		{"/runs/run1/stages/0?page=5", 200, []string{`data-task="499"`, "← previous"}},
		{"/runs/run1/stages/0?status=failed", 200, []string{`data-task="1"`, "1 tasks failed"}},
		{"/runs/run1/plan", 200, []string{"== Physical plan ==", "StageRead 0"}},
		{"/runs/nope", 404, []string{"no such run"}},
		{"/runs/run1/stages/7", 404, []string{"no stage"}},
		{"/healthz", 200, []string{"ok"}},
	}
	for _, c := range cases {
		code, body := get(t, s, c.url)
		if code != c.code {
			t.Errorf("%s: status %d, want %d", c.url, code, c.code)
		}
		for _, w := range c.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: no %q in page", c.url, w)
			}
		}
	}
	// Extra counters that are zero everywhere get no column.
	if _, body := get(t, s, "/runs/run1/stages/0"); strings.Contains(body, "s3 delete requests") {
		t.Error("an all-zero counter got a column")
	}
	// A page lists PageSize tasks, not all 500.
	_, body := get(t, s, "/runs/run1/stages/0?page=2")
	if n := len(regexp.MustCompile(`data-task="`).FindAllString(body, -1)); n != PageSize {
		t.Errorf("page 2 lists %d tasks, want %d", n, PageSize)
	}
	if !strings.Contains(body, `data-task="100"`) || strings.Contains(body, `data-task="99"`) {
		t.Error("page 2 does not start at task 100")
	}
}

// The event stream says "end" once the run is over, so the page stops
// listening; a running one gets "update" when events arrive.
func TestEventStream(t *testing.T) {
	srv := httptest.NewServer(liveServer(sampleEvents(2, true)))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/runs/run1/events")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), "event: end\n") {
		t.Fatalf("stream = %q", b)
	}

	l := &Live{}
	evs := sampleEvents(2, true)
	for _, ev := range evs[:len(evs)-1] {
		l.Emit(ev)
	}
	srv2 := httptest.NewServer(New(l, time.Millisecond))
	defer srv2.Close()
	resp, err = http.Get(srv2.URL + "/runs/run1/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	l.Emit(evs[len(evs)-1])
	b, _ = io.ReadAll(resp.Body)
	if !strings.Contains(string(b), "event: update") || !strings.Contains(string(b), "event: end") {
		t.Fatalf("stream = %q", b)
	}
}

// TestEventStreamFromThePagesState: events emitted after a page was
// rendered but before its stream connected are announced at once, so the
// page does not wait for the next change (the page passes its seq).
func TestEventStreamFromThePagesState(t *testing.T) {
	l := &Live{}
	evs := sampleEvents(2, true)
	for _, ev := range evs[:3] {
		l.Emit(ev)
	}
	srv := httptest.NewServer(New(l, time.Millisecond))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/runs/run1/events?seq=1", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	line, err := bufio.NewReader(resp.Body).ReadString('\n')
	if err != nil || line != "event: update\n" {
		t.Fatalf("first line %q (%v), want an update for the events after seq 1", line, err)
	}
}

func TestHistoryReadsLogs(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	w, err := eventlog.Create(ctx, dir, "run1", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range sampleEvents(3, false) {
		w.Emit(ev)
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	s := New(&History{Dir: dir}, time.Millisecond)
	code, body := get(t, s, "/")
	if code != 200 || !strings.Contains(body, "incomplete") {
		t.Fatalf("runs page %d: %s", code, body)
	}
	if code, _ := get(t, s, "/runs/..%2Frun1"); code != 404 {
		t.Errorf("a run ID with a slash: status %d, want 404", code)
	}
	code, body = get(t, s, "/runs/run1")
	if code != 200 || !strings.Contains(body, "driver died") || !strings.Contains(body, `data-state="incomplete"`) {
		t.Fatalf("run page %d", code)
	}
}

// An adapted stage runs more or fewer tasks than planned partitions: the
// stage's task table follows the count its start event carries.
func TestStageStartResizesTasks(t *testing.T) {
	for _, n := range []int{1, 6} {
		st := &Stage{StageTemplate: eventlog.StageTemplate{ID: 0, Partitions: 4}}
		for p := range 4 {
			st.Tasks = append(st.Tasks, &Task{Partition: p})
		}
		r := &Run{Stages: []*Stage{st}}
		r.apply(&eventlog.Event{Type: eventlog.StageStart, Stage: &eventlog.StageInfo{ID: 0, Tasks: n}})
		if len(st.Tasks) != n || st.Partitions != n || st.Tasks[n-1] == nil || st.Tasks[n-1].Partition != n-1 {
			t.Fatalf("after a start with %d tasks: %d tasks, partitions %d", n, len(st.Tasks), st.Partitions)
		}
	}
}

// resumedEvents continues sampleEvents(tasks, false) — a driver that died
// with stage 0 finished and stage 1 started — with a second driver's
// events: it reuses stage 0's tasks from the journal, runs stage 1 and
// succeeds.
func resumedEvents(tasks int) (first, second []eventlog.Event) {
	first = sampleEvents(tasks, false)
	at := first[len(first)-1].Time.Add(time.Minute)
	add := func(ev eventlog.Event) {
		at = at.Add(time.Millisecond)
		ev.Time, ev.Seq, ev.V = at, int64(len(second)+1), eventlog.Version
		second = append(second, ev)
	}
	run := *first[0].Run
	add(eventlog.Event{Type: eventlog.RunStart, Run: &run})
	add(eventlog.Event{Type: eventlog.ExecutorAdded, Executor: &eventlog.ExecutorInfo{ID: "10.0.0.1:7000", Alloc: "a1", Node: "n1", Slots: 2}})
	add(eventlog.Event{Type: eventlog.StageStart, Stage: &eventlog.StageInfo{ID: 0, Tasks: tasks}})
	for p := 0; p < tasks; p++ {
		add(eventlog.Event{Type: eventlog.TaskEnd, Task: &eventlog.TaskInfo{Stage: 0, Partition: p, Attempt: map[bool]int{true: 1}[p == 1],
			Executor: "10.0.0.1:7000", Status: eventlog.StatusSucceeded, Reused: true,
			Metrics: map[string]int64{"rows_in": int64(100 + p), "rows_out": 10}}})
	}
	add(eventlog.Event{Type: eventlog.StageEnd, Stage: &eventlog.StageInfo{ID: 0}})
	add(eventlog.Event{Type: eventlog.StageStart, Stage: &eventlog.StageInfo{ID: 1, Tasks: 2}})
	for p := range 2 {
		add(eventlog.Event{Type: eventlog.TaskStart, Task: &eventlog.TaskInfo{Stage: 1, Partition: p, Attempt: 1}})
		add(eventlog.Event{Type: eventlog.TaskEnd, Task: &eventlog.TaskInfo{Stage: 1, Partition: p, Attempt: 1, Executor: "10.0.0.1:7000", Status: eventlog.StatusSucceeded}})
	}
	add(eventlog.Event{Type: eventlog.StageEnd, Stage: &eventlog.StageInfo{ID: 1}})
	add(eventlog.Event{Type: eventlog.RunEnd, End: &eventlog.RunEndInfo{Status: eventlog.StatusSucceeded}})
	return first, second
}

// TestResumedRunShowsReusedTasks: a resumed run's log (the dead driver's
// parts, then the resuming driver's) shows the tasks taken from the
// journal as done and reused, in the run's stage table, the stage graph
// and the stage's task table (with a filter of its own).
func TestResumedRunShowsReusedTasks(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	first, second := resumedEvents(3)
	for _, evs := range [][]eventlog.Event{first, second} {
		w, err := eventlog.Create(ctx, dir, "run1", nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range evs {
			w.Emit(ev)
		}
		if err := w.Close(ctx); err != nil {
			t.Fatal(err)
		}
	}
	lg, err := eventlog.Read(ctx, dir, "run1")
	if err != nil {
		t.Fatal(err)
	}
	r := Build(lg.Events, false)
	done, _, _ := r.Stages[0].Counts()
	if r.Status != eventlog.StatusSucceeded || r.Resumes != 1 || done != 3 || r.Stages[0].Reused() != 3 || r.Stages[1].Reused() != 0 || len(r.Executors) != 1 {
		t.Fatalf("run %s, resumes %d, stage 0 done %d reused %d, stage 1 reused %d, %d executors",
			r.Status, r.Resumes, done, r.Stages[0].Reused(), r.Stages[1].Reused(), len(r.Executors))
	}
	if !r.Start.Equal(first[0].Time) {
		t.Errorf("run start %s, want the first driver's %s", r.Start, first[0].Time)
	}
	s := New(&History{Dir: dir}, time.Millisecond)
	_, body := get(t, s, "/runs/run1")
	for _, want := range []string{`3/3 <span class="reused">(3 reused)</span>`, "3/3 tasks, 3 reused", `id="run-resumed">resumed 1×`} {
		if !strings.Contains(body, want) {
			t.Errorf("run page lacks %q", want)
		}
	}
	if strings.Count(body, `<span class="reused">`) != 1 {
		t.Errorf("stage 1 is shown with reused tasks")
	}
	_, body = get(t, s, "/runs/run1/stages/0")
	if n := strings.Count(body, `data-reused="true"`); n != 3 || !strings.Contains(body, `<span id="stage-reused">3</span> reused from the journal`) {
		t.Errorf("stage 0 page: %d reused rows, want 3", n)
	}
	if n := strings.Count(body, `data-status="succeeded" data-reused="true"`); n != 3 {
		t.Errorf("reused tasks are not shown as succeeded (%d)", n)
	}
	_, body = get(t, s, "/runs/run1/stages/0?status=reused")
	if n := strings.Count(body, `data-task=`); n != 3 {
		t.Errorf("the reused filter lists %d tasks, want 3", n)
	}
	_, body = get(t, s, "/runs/run1/stages/1")
	if strings.Contains(body, `data-reused`) || strings.Contains(body, "stage-reused") {
		t.Errorf("stage 1's tasks ran in the resumed driver but are shown reused")
	}
}
