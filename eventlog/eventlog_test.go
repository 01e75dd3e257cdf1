package eventlog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drover-etl/drover/commit"
	"github.com/drover-etl/drover/driver"
	_ "github.com/drover-etl/drover/storage/local"
	"github.com/drover-etl/drover/task"
)

func writeLog(t *testing.T, dir, run string, n int) {
	t.Helper()
	w, err := Create(context.Background(), dir, run, nil)
	if err != nil {
		t.Fatal(err)
	}
	w.Emit(Event{Type: RunStart, Run: &RunInfo{ID: run, Job: "j"}})
	for i := 0; i < n; i++ {
		w.Emit(Event{Type: TaskEnd, Task: &TaskInfo{Stage: 0, Partition: i, Status: StatusSucceeded}})
	}
	if err := w.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestWriteReadRoundTrip(t *testing.T) {
	dir := t.TempDir()
	writeLog(t, dir, "r1", 3)
	lg, err := Read(context.Background(), dir, "r1")
	if err != nil {
		t.Fatal(err)
	}
	if len(lg.Events) != 4 || lg.Truncated {
		t.Fatalf("got %d events, truncated %v", len(lg.Events), lg.Truncated)
	}
	for i, ev := range lg.Events {
		if ev.V != Version || ev.Seq != int64(i+1) || ev.Time.IsZero() {
			t.Errorf("event %d: v=%d seq=%d time=%v", i, ev.V, ev.Seq, ev.Time)
		}
	}
	if lg.Events[0].Run.Job != "j" || lg.Events[3].Task.Partition != 2 {
		t.Errorf("payloads lost: %+v %+v", lg.Events[0].Run, lg.Events[3].Task)
	}
}

// A part that fills up is left alone and the next flush starts another;
// the reader concatenates them in order.
func TestPartsRollAndConcatenate(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	w, err := Create(ctx, dir, "r", nil)
	if err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("x", 64<<10)
	const n = 40 // 40 × 64 KiB spans more than two 1 MiB parts
	for i := 0; i < n; i++ {
		w.Emit(Event{Type: TaskEnd, Task: &TaskInfo{Partition: i, Error: big}})
		if err := w.Flush(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	parts, _ := filepath.Glob(filepath.Join(dir, "r", "events-*.jsonl"))
	if len(parts) < 3 {
		t.Fatalf("parts = %v, want at least 3", parts)
	}
	lg, err := Read(ctx, dir, "r")
	if err != nil {
		t.Fatal(err)
	}
	if len(lg.Events) != n {
		t.Fatalf("read %d events, want %d", len(lg.Events), n)
	}
	for i, ev := range lg.Events {
		if ev.Task.Partition != i {
			t.Fatalf("event %d is partition %d: parts out of order", i, ev.Task.Partition)
		}
	}
	// ReadEnds keeps the first and the last part only.
	ends, err := ReadEnds(ctx, dir, "r")
	if err != nil {
		t.Fatal(err)
	}
	if first, last := ends.Events[0], ends.Events[len(ends.Events)-1]; first.Task.Partition != 0 || last.Task.Partition != n-1 || len(ends.Events) >= n {
		t.Fatalf("ends: %d events, first %d, last %d", len(ends.Events), first.Task.Partition, last.Task.Partition)
	}
}

func TestReadDamagedLogs(t *testing.T) {
	good := `{"v":1,"seq":1,"type":"run_start","run":{"id":"r","job":"j","stages":[]}}` + "\n"
	cases := []struct {
		name      string
		parts     []string
		events    int
		truncated bool
		err       error
		errText   string
	}{
		{"cut last line", []string{good + `{"v":1,"seq":2,"ty`}, 1, true, nil, ""},
		{"cut line in an earlier part", []string{good + `{"v":1,"se` + "\n", good}, 0, false, ErrCorrupt, "events-000001.jsonl line 2"},
		{"bad line mid part", []string{good + "garbage\n" + good}, 0, false, ErrCorrupt, "line 2"},
		{"newer schema", []string{`{"v":99,"seq":1,"type":"run_start"}` + "\n"}, 0, false, ErrNewerVersion, "version 99"},
		{"no parts", nil, 0, false, ErrNoLog, `run "r"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			os.MkdirAll(filepath.Join(dir, "r"), 0o755)
			for i, p := range c.parts {
				os.WriteFile(filepath.Join(dir, "r", PartName(i+1)), []byte(p), 0o644)
			}
			lg, err := Read(context.Background(), dir, "r")
			if c.err != nil {
				if !errors.Is(err, c.err) || !strings.Contains(err.Error(), c.errText) {
					t.Fatalf("err = %v, want %v mentioning %q", err, c.err, c.errText)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(lg.Events) != c.events || lg.Truncated != c.truncated {
				t.Fatalf("events %d truncated %v, want %d %v", len(lg.Events), lg.Truncated, c.events, c.truncated)
			}
		})
	}
}

func TestRunsNewestFirst(t *testing.T) {
	dir := t.TempDir()
	for _, r := range []string{"20260101T000000-a", "20260301T000000-c", "20260201T000000-b"} {
		writeLog(t, dir, r, 0)
	}
	os.MkdirAll(filepath.Join(dir, "not-a-run"), 0o755)
	os.WriteFile(filepath.Join(dir, "not-a-run", "other.txt"), []byte("x"), 0o644)
	runs, err := Runs(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(runs, ","); got != "20260301T000000-c,20260201T000000-b,20260101T000000-a" {
		t.Fatalf("runs = %s", got)
	}
}

func TestRecorderEvents(t *testing.T) {
	var got []Event
	r := NewRecorder(nil, func(ev Event) { got = append(got, ev) })
	spec := &task.Spec{ID: task.ID{Stage: 1, Partition: 2, Attempt: 3}}
	r.Start(RunInfo{ID: "r"})
	r.TaskStarted(spec)
	r.TaskEnded(spec, &task.Result{Metrics: task.Metrics{RowsIn: 5, Duration: 7, Executor: "e1"}}, nil)
	r.TaskEnded(spec, nil, task.OnExecutor("e2", task.AsFatal(fmt.Errorf("bad row 3"))))
	r.TaskEnded(spec, nil, task.OnExecutor("e3", fmt.Errorf("rpc: %w", task.ErrExecutorLost)))
	r.SinkCommitted(commit.Result{Sink: "out", URL: "/o", Files: 2, Bytes: 9})
	r.ExecutorsChanged([]ExecutorInfo{{ID: "a"}, {ID: "b"}}, "gone")
	r.ExecutorsChanged([]ExecutorInfo{{ID: "b"}}, "gone")
	r.End(errors.New("boom"))
	r.ExecutorsChanged(nil, "cluster stopped") // after run_end: dropped

	want := []struct {
		typ  Type
		desc string
	}{
		{RunStart, "r"}, {TaskStart, "1.2.3"}, {TaskEnd, "succeeded e1 rows_in=5 duration=7"},
		{TaskEnd, "failed e2 fatal bad row 3"}, {TaskEnd, "lost e3 retryable rpc: executor lost"},
		{SinkCommitted, "out /o 2 9"}, {ExecutorAdded, "a"}, {ExecutorAdded, "b"}, {ExecutorLost, "a gone"},
		{RunEnd, "failed boom"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d events, want %d", len(got), len(want))
	}
	for i, w := range want {
		if got[i].Type != w.typ || describe(got[i]) != w.desc {
			t.Errorf("event %d = %s %q, want %s %q", i, got[i].Type, describe(got[i]), w.typ, w.desc)
		}
	}
}

func describe(ev Event) string {
	switch {
	case ev.Run != nil:
		return ev.Run.ID
	case ev.Task != nil && ev.Type == TaskStart:
		return fmt.Sprintf("%d.%d.%d", ev.Task.Stage, ev.Task.Partition, ev.Task.Attempt)
	case ev.Task != nil && ev.Task.Status == StatusSucceeded:
		return fmt.Sprintf("%s %s rows_in=%d duration=%d", ev.Task.Status, ev.Task.Executor, ev.Task.Metrics["rows_in"], ev.Task.Metrics["duration"])
	case ev.Task != nil:
		return strings.Join([]string{ev.Task.Status, ev.Task.Executor, ev.Task.Class, ev.Task.Error}, " ")
	case ev.Sink != nil:
		return fmt.Sprintf("%s %s %d %d", ev.Sink.Name, ev.Sink.Path, ev.Sink.Files, ev.Sink.Bytes)
	case ev.Executor != nil:
		return strings.TrimSpace(ev.Executor.ID + " " + ev.Executor.Reason)
	case ev.End != nil:
		return ev.End.Status + " " + ev.End.Error
	}
	return ""
}

// Every numeric counter of task.Metrics reaches the log by its JSON name,
// so counters added later need no change here.
func TestMetricsMapTakesEveryNumber(t *testing.T) {
	m := MetricsMap(task.Metrics{RowsIn: 1, RowsOut: 2, BytesRead: 3, BytesWritten: 4, SpilledBytes: 5, Duration: 6, Executor: "x"})
	for k, v := range map[string]int64{"rows_in": 1, "rows_out": 2, "bytes_read": 3, "bytes_written": 4, "spilled_bytes": 5, "duration": 6} {
		if m[k] != v {
			t.Errorf("%s = %d, want %d", k, m[k], v)
		}
	}
	if _, ok := m["executor"]; ok {
		t.Error("a string field became a metric")
	}
}

func TestFlattenNestedCounters(t *testing.T) {
	out := map[string]int64{}
	flatten("", map[string]any{
		"rows_in": json.Number("3"),
		"s3":      map[string]any{"get": map[string]any{"requests": json.Number("4"), "bytes": json.Number("5")}, "errors": json.Number("1")},
		"name":    "x",
		"list":    []any{json.Number("1")},
	}, out)
	want := map[string]int64{"rows_in": 3, "s3_get_requests": 4, "s3_get_bytes": 5, "s3_errors": 1}
	if fmt.Sprint(out) != fmt.Sprint(want) {
		t.Fatalf("got %v, want %v", out, want)
	}
}

// A flush that fails keeps the events; the next one writes them.
func TestFlushFailureKeepsEvents(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	blocker := filepath.Join(dir, "r")
	os.WriteFile(blocker, []byte("a file where the run's directory goes"), 0o644)
	w, err := Create(ctx, dir, "r", nil)
	if err != nil {
		t.Fatal(err)
	}
	w.Emit(Event{Type: RunStart, Run: &RunInfo{ID: "r"}})
	if err := w.Flush(ctx); err == nil || !strings.Contains(err.Error(), "events-000001.jsonl") {
		t.Fatalf("flush into a blocked directory: %v", err)
	}
	os.Remove(blocker)
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	lg, err := Read(ctx, dir, "r")
	if err != nil || len(lg.Events) != 1 {
		t.Fatalf("after recovery: %v, %v", lg, err)
	}
}

// reusedProgress records what TasksReused forwards.
type reusedProgress struct {
	driver.Progress
	stage, n int
}

func (p *reusedProgress) TasksReused(stage int, results []*task.Result) {
	p.stage, p.n = stage, len(results)
}

// TestRecorderTasksReused: a resumed run's reused tasks become task_end
// events marked reused, carrying the journaled attempt, and reach the
// console progress it wraps.
func TestRecorderTasksReused(t *testing.T) {
	var got []Event
	next := &reusedProgress{}
	r := NewRecorder(next, func(ev Event) { got = append(got, ev) })
	r.TasksReused(2, []*task.Result{
		{ID: task.ID{Stage: 2, Partition: 0, Attempt: 1}, Metrics: task.Metrics{RowsOut: 7, Executor: "e1"}},
		{ID: task.ID{Stage: 2, Partition: 3}, Metrics: task.Metrics{RowsOut: 9, Executor: "e2"}},
	})
	if len(got) != 2 || next.stage != 2 || next.n != 2 {
		t.Fatalf("events %+v, forwarded stage %d n %d", got, next.stage, next.n)
	}
	b, _ := json.Marshal(got[0])
	if ti := got[0].Task; got[0].Type != TaskEnd || !ti.Reused || ti.Status != StatusSucceeded || ti.Attempt != 1 || ti.Executor != "e1" || ti.Metrics["rows_out"] != 7 ||
		!strings.Contains(string(b), `"reused":true`) {
		t.Errorf("event %s", b)
	}
	if got[1].Task.Partition != 3 || got[1].Task.Metrics["rows_out"] != 9 {
		t.Errorf("second event %+v", got[1].Task)
	}
}
