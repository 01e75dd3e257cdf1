package eventlog

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/drover-etl/drover/commit"
	"github.com/drover-etl/drover/driver"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/stage"
	"github.com/drover-etl/drover/task"
)

// Recorder turns the driver's callbacks into events for every emit
// function it was given (the log writer, the live UI), forwarding the
// progress callbacks to the console progress it wraps.
type Recorder struct {
	next  driver.Progress
	emit  []func(Event)
	start time.Time

	mu        sync.Mutex
	executors map[string]ExecutorInfo
	// ended drops what comes after run_end (executors stopping as the
	// driver tears the cluster down), so run_end stays the last line.
	ended atomic.Bool
}

var (
	_ driver.Progress       = (*Recorder)(nil)
	_ driver.Observer       = (*Recorder)(nil)
	_ driver.ResumeProgress = (*Recorder)(nil)
)

// NewRecorder records into emit and forwards progress to next (may be nil).
func NewRecorder(next driver.Progress, emit ...func(Event)) *Recorder {
	return &Recorder{next: next, emit: emit, executors: map[string]ExecutorInfo{}}
}

func (r *Recorder) send(ev Event) {
	if r.ended.Load() {
		return
	}
	if ev.Time.IsZero() {
		ev.Time = time.Now().UTC()
	}
	for _, e := range r.emit {
		e(ev)
	}
}

// Start records the run's start with its job and plans.
func (r *Recorder) Start(info RunInfo) {
	r.start = time.Now()
	r.send(Event{Type: RunStart, Run: &info})
}

// End records the run's end: err nil means it succeeded.
func (r *Recorder) End(err error) {
	end := &RunEndInfo{Status: StatusSucceeded, WallMS: time.Since(r.start).Milliseconds()}
	if err != nil {
		end.Status, end.Error = StatusFailed, err.Error()
	}
	r.send(Event{Type: RunEnd, End: end})
	r.ended.Store(true)
}

// StageStarted implements driver.Progress.
func (r *Recorder) StageStarted(id, tasks int, desc string) {
	r.send(Event{Type: StageStart, Stage: &StageInfo{ID: id, Tasks: tasks, Description: desc}})
	if r.next != nil {
		r.next.StageStarted(id, tasks, desc)
	}
}

// TaskDone implements driver.Progress (task_end comes from TaskEnded).
func (r *Recorder) TaskDone(id int, m task.Metrics) {
	if r.next != nil {
		r.next.TaskDone(id, m)
	}
}

// TaskRetry implements driver.Progress (the failed attempt's task_end
// already carries its error).
func (r *Recorder) TaskRetry(id task.ID, err error) {
	if r.next != nil {
		r.next.TaskRetry(id, err)
	}
}

// Recompute implements driver.Progress.
func (r *Recorder) Recompute(st, part int, err error) {
	r.send(Event{Type: Recompute, Task: &TaskInfo{Stage: st, Partition: part, Error: err.Error(), Class: task.FetchFailed.String()}})
	if r.next != nil {
		r.next.Recompute(st, part, err)
	}
}

// StageDone implements driver.Progress.
func (r *Recorder) StageDone(id int, m task.Metrics, wall time.Duration) {
	r.send(Event{Type: StageEnd, Stage: &StageInfo{ID: id, Metrics: MetricsMap(m), Operators: operators(m), WallMS: wall.Milliseconds()}})
	if r.next != nil {
		r.next.StageDone(id, m, wall)
	}
}

// TaskStarted implements driver.Observer.
func (r *Recorder) TaskStarted(spec *task.Spec) {
	r.send(Event{Type: TaskStart, Task: &TaskInfo{Stage: spec.ID.Stage, Partition: spec.ID.Partition, Attempt: spec.ID.Attempt, Sample: spec.Sample}})
}

// TaskEnded implements driver.Observer.
func (r *Recorder) TaskEnded(spec *task.Spec, res *task.Result, err error) {
	ti := &TaskInfo{Stage: spec.ID.Stage, Partition: spec.ID.Partition, Attempt: spec.ID.Attempt, Sample: spec.Sample, Status: StatusSucceeded}
	switch {
	case err == nil && res != nil:
		ti.Executor, ti.Metrics, ti.Operators = res.Metrics.Executor, MetricsMap(res.Metrics), operators(res.Metrics)
	case errors.Is(err, task.ErrExecutorLost):
		ti.Status, ti.Error, ti.Class = StatusLost, err.Error(), task.ClassOf(err).String()
		ti.Executor = task.ExecutorOf(err)
	default:
		ti.Status, ti.Class = StatusFailed, task.ClassOf(err).String()
		if err != nil {
			ti.Error, ti.Executor = err.Error(), task.ExecutorOf(err)
		}
	}
	r.send(Event{Type: TaskEnd, Task: ti})
}

// TasksReused implements driver.ResumeProgress: each task an earlier
// driver finished gets a task_end marked reused (no task_start: this
// driver did not run it).
func (r *Recorder) TasksReused(stage int, results []*task.Result) {
	for _, res := range results {
		r.send(Event{Type: TaskEnd, Task: &TaskInfo{Stage: res.Stage, Partition: res.Partition, Attempt: res.Attempt,
			Executor: res.Metrics.Executor, Status: StatusSucceeded, Reused: true,
			Metrics: MetricsMap(res.Metrics), Operators: operators(res.Metrics)}})
	}
	if rp, ok := r.next.(driver.ResumeProgress); ok {
		rp.TasksReused(stage, results)
	}
}

// SinkCommitted implements driver.Observer.
func (r *Recorder) SinkCommitted(res commit.Result) {
	r.send(Event{Type: SinkCommitted, Sink: &SinkInfo{Name: res.Sink, Path: res.URL, Files: res.Files, Bytes: res.Bytes}})
}

// ExecutorsChanged records the difference between the executors known so
// far and live: new ones as added, missing ones as lost.
func (r *Recorder) ExecutorsChanged(live []ExecutorInfo, reason string) {
	r.mu.Lock()
	var evs []Event
	now := map[string]bool{}
	for _, e := range live {
		now[e.ID] = true
		if _, ok := r.executors[e.ID]; !ok {
			r.executors[e.ID] = e
			e := e
			evs = append(evs, Event{Type: ExecutorAdded, Executor: &e})
		}
	}
	for id, e := range r.executors {
		if !now[id] {
			delete(r.executors, id)
			e.Reason = reason
			evs = append(evs, Event{Type: ExecutorLost, Executor: &e})
		}
	}
	r.mu.Unlock()
	for _, ev := range evs {
		r.send(ev)
	}
}

// MetricsMap is every numeric field of m by its JSON name, nested
// objects flattened with "_" (S3 counts {"s3":{"get":{"requests":n}}}
// become "s3_get_requests"), so counters added to task.Metrics reach the
// log and the UI without changes here. Lists (operators) are left out.
func MetricsMap(m task.Metrics) map[string]int64 {
	b, err := json.Marshal(m)
	if err != nil {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var raw map[string]any
	if err := dec.Decode(&raw); err != nil {
		return nil
	}
	out := map[string]int64{}
	flatten("", raw, out)
	return out
}

func flatten(prefix string, obj map[string]any, out map[string]int64) {
	for k, v := range obj {
		switch v := v.(type) {
		case json.Number:
			if i, err := v.Int64(); err == nil {
				out[prefix+k] = i
			}
		case map[string]any:
			flatten(prefix+k+"_", v, out)
		}
	}
}

func operators(m task.Metrics) []OperatorMetrics {
	if len(m.Operators) == 0 {
		return nil
	}
	out := make([]OperatorMetrics, len(m.Operators))
	for i, op := range m.Operators {
		out[i] = OperatorMetrics{Rows: op.Rows, TimeNS: int64(op.Time), SpilledBytes: op.Spilled}
	}
	return out
}

// Stages describes the graph's stages for run_start.
func Stages(g *stage.Graph) []StageTemplate {
	out := make([]StageTemplate, 0, len(g.Stages))
	for _, st := range g.Stages {
		t := StageTemplate{ID: st.ID, Parents: append([]int{}, st.Parents...), Partitions: st.Partitions,
			Description: driver.DescribeStage(st), Plan: strings.TrimRight(physical.Format(st.Root), "\n")}
		switch {
		case st.IsSink():
			t.Output, t.Sink = "sink", st.Root.Write.Sink
		case st.Output != nil:
			t.Output = st.Output.Kind.String()
		}
		out = append(out, t)
	}
	return out
}

// TaskSpeculated implements driver.SpeculationProgress (the copy's
// task_start and task_end carry it into the log).
func (r *Recorder) TaskSpeculated(copy, of task.ID, elapsed, threshold time.Duration) {
	if sp, ok := r.next.(driver.SpeculationProgress); ok {
		sp.TaskSpeculated(copy, of, elapsed, threshold)
	}
}

// SpeculationDecided implements driver.SpeculationProgress.
func (r *Recorder) SpeculationDecided(winner, loser task.ID) {
	if sp, ok := r.next.(driver.SpeculationProgress); ok {
		sp.SpeculationDecided(winner, loser)
	}
}
