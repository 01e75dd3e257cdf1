package webui

import (
	"sort"
	"time"

	"github.com/drover-etl/drover/eventlog"
)

// Run states beyond eventlog's: a run with no run_end is "running" while
// its driver serves it, and "incomplete" in history (the driver died or
// is still going elsewhere).
const (
	StateRunning    = "running"
	StatePending    = "pending"
	StateIncomplete = "incomplete"
	// StateReused marks, beside "succeeded", a task an earlier driver of
	// a resumed run finished (the stage page's filter and badge).
	StateReused = "reused"
)

// Run is one run's state rebuilt from its events.
type Run struct {
	eventlog.RunInfo
	Status    string
	Error     string
	Start     time.Time
	End       time.Time
	Stages    []*Stage
	Executors []*Executor
	Sinks     []eventlog.SinkInfo
	Seq       int64
	Truncated bool
	// Resumes counts the drivers that resumed the run after an earlier
	// one died (run_start events after the first).
	Resumes int
	// LastTime is the time of the last event.
	LastTime time.Time
}

// Stage is one stage's state.
type Stage struct {
	eventlog.StageTemplate
	State      string
	Start, End time.Time
	Tasks      []*Task // by partition
	Metrics    map[string]int64
	Recomputes int
	Depth      int
}

// Task is one partition of a stage and its attempts.
type Task struct {
	Partition int
	Attempts  []*Attempt
	// Samples are the key-sampling attempts of a range-partitioned stage.
	Samples []*Attempt
}

// Attempt is one try of a task.
type Attempt struct {
	eventlog.TaskInfo
	Start, End time.Time
}

// Executor is one executor's state.
type Executor struct {
	eventlog.ExecutorInfo
	State       string // "alive" or "lost"
	Added, Lost time.Time
	Tasks       int
	Failed      int
	Running     int
}

// Build replays events into a Run. live says whether a driver is serving
// it (no run_end yet means running rather than incomplete).
func Build(events []eventlog.Event, live bool) *Run {
	r := &Run{Status: StateIncomplete}
	if live {
		r.Status = StateRunning
	}
	for i := range events {
		r.apply(&events[i])
	}
	if r.Status != StateRunning {
		r.settle()
	}
	return r
}

func (r *Run) apply(ev *eventlog.Event) {
	r.Seq, r.LastTime = ev.Seq, ev.Time
	switch ev.Type {
	case eventlog.RunStart:
		r.start(ev)
	case eventlog.StageStart:
		if st := r.stage(ev.Stage.ID); st != nil {
			st.State, st.Start = StateRunning, ev.Time
			st.resize(ev.Stage.Tasks)
		}
	case eventlog.StageEnd:
		if st := r.stage(ev.Stage.ID); st != nil {
			st.State, st.End, st.Metrics = eventlog.StatusSucceeded, ev.Time, ev.Stage.Metrics
		}
	case eventlog.TaskStart:
		r.taskStart(ev)
	case eventlog.TaskEnd:
		r.taskEnd(ev)
	case eventlog.Recompute:
		if st := r.stage(ev.Task.Stage); st != nil {
			st.Recomputes++
		}
	case eventlog.ExecutorAdded:
		if ex := r.executor(ev.Executor.ID); ex != nil {
			// A resumed run's driver re-used the executor (its log
			// continues after the dead driver's).
			ex.ExecutorInfo, ex.State, ex.Lost = *ev.Executor, "alive", time.Time{}
			break
		}
		r.Executors = append(r.Executors, &Executor{ExecutorInfo: *ev.Executor, State: "alive", Added: ev.Time})
	case eventlog.ExecutorLost:
		if ex := r.executor(ev.Executor.ID); ex != nil {
			ex.State, ex.Lost, ex.Reason = "lost", ev.Time, ev.Executor.Reason
		}
	case eventlog.SinkCommitted:
		r.Sinks = append(r.Sinks, *ev.Sink)
	case eventlog.RunEnd:
		r.Status, r.Error, r.End = ev.End.Status, ev.End.Error, ev.Time
	}
}

// start begins the run's state, or a resumed driver's view of it: its
// run_start comes after the dead driver's events, and replaces them (the
// tasks it reuses from the journal come as task_end events marked reused);
// the run's start stays the first driver's.
func (r *Run) start(ev *eventlog.Event) {
	r.RunInfo = *ev.Run
	if r.Start.IsZero() {
		r.Start = ev.Time
	} else {
		r.Resumes++
	}
	r.Stages = make([]*Stage, len(ev.Run.Stages))
	for i, t := range ev.Run.Stages {
		st := &Stage{StageTemplate: t, State: StatePending, Tasks: make([]*Task, t.Partitions)}
		for p := range st.Tasks {
			st.Tasks[p] = &Task{Partition: p}
		}
		r.Stages[i] = st
	}
	for _, st := range r.Stages {
		for _, p := range st.Parents {
			if ps := r.stage(p); ps != nil && ps.Depth+1 > st.Depth {
				st.Depth = ps.Depth + 1
			}
		}
	}
}

func (r *Run) stage(id int) *Stage {
	for _, st := range r.Stages {
		if st.ID == id {
			return st
		}
	}
	return nil
}

func (r *Run) task(ti *eventlog.TaskInfo) *Task {
	st := r.stage(ti.Stage)
	if st == nil || ti.Partition < 0 || ti.Partition >= len(st.Tasks) {
		return nil
	}
	return st.Tasks[ti.Partition]
}

func (r *Run) executor(id string) *Executor {
	for _, ex := range r.Executors {
		if ex.ID == id {
			return ex
		}
	}
	return nil
}

func (r *Run) taskStart(ev *eventlog.Event) {
	if t := r.task(ev.Task); t != nil {
		a := &Attempt{TaskInfo: *ev.Task, Start: ev.Time}
		a.Status = StateRunning
		t.add(a)
	}
}

func (r *Run) taskEnd(ev *eventlog.Event) {
	t := r.task(ev.Task)
	if t == nil {
		return
	}
	a := t.attempt(ev.Task.Attempt)
	if a == nil {
		a = &Attempt{TaskInfo: *ev.Task, Start: ev.Time}
		t.add(a)
	}
	a.TaskInfo, a.End = *ev.Task, ev.Time
	if ex := r.executor(ev.Task.Executor); ex != nil && !ev.Task.Reused {
		ex.Tasks++
		if ev.Task.Status != eventlog.StatusSucceeded {
			ex.Failed++
		}
	}
}

func (t *Task) add(a *Attempt) {
	if a.Sample {
		t.Samples = append(t.Samples, a)
	} else {
		t.Attempts = append(t.Attempts, a)
	}
}

// attempt finds attempt n (numbers are unique per task, samples included).
func (t *Task) attempt(n int) *Attempt {
	for _, as := range [][]*Attempt{t.Attempts, t.Samples} {
		for _, a := range as {
			if a.Attempt == n {
				return a
			}
		}
	}
	return nil
}

// settle marks what was still running when the run ended (or its log
// stopped): the stages and attempts never finished.
func (r *Run) settle() {
	end := eventlog.StatusFailed
	if r.Status == StateIncomplete {
		end = StateIncomplete
	}
	for _, st := range r.Stages {
		if st.State == StateRunning {
			st.State = end
		}
		for _, t := range st.Tasks {
			for _, a := range append(t.Attempts, t.Samples...) {
				if a.Status == StateRunning {
					a.Status = end
				}
			}
		}
	}
}

// Status is a task's state: succeeded once any attempt did (a
// speculative copy that lost ends after the winner), else its last
// attempt's.
func (t *Task) Status() string {
	if len(t.Attempts) == 0 {
		return StatePending
	}
	for _, a := range t.Attempts {
		if a.Status == eventlog.StatusSucceeded {
			return a.Status
		}
	}
	return t.Attempts[len(t.Attempts)-1].Status
}

// Reused: an earlier driver of the resumed run finished the task (its
// winning attempt came from the journal, marked reused).
func (t *Task) Reused() bool {
	for _, a := range t.Attempts {
		if a.Reused && a.Status == eventlog.StatusSucceeded {
			return true
		}
	}
	return false
}

// Last is the task's last attempt (nil when none started).
func (t *Task) Last() *Attempt {
	if len(t.Attempts) == 0 {
		return nil
	}
	return t.Attempts[len(t.Attempts)-1]
}

// LastError is the error of the task's latest failed attempt.
func (t *Task) LastError() string {
	for i := len(t.Attempts) - 1; i >= 0; i-- {
		if t.Attempts[i].Error != "" {
			return t.Attempts[i].Error
		}
	}
	return ""
}

// Counts tallies a stage's tasks by state.
func (st *Stage) Counts() (done, running, failedAttempts int) {
	for _, t := range st.Tasks {
		switch t.Status() {
		case eventlog.StatusSucceeded:
			done++
		case StateRunning:
			running++
		}
		for _, a := range t.Attempts {
			if a.Status == eventlog.StatusFailed || a.Status == eventlog.StatusLost {
				failedAttempts++
			}
		}
	}
	return done, running, failedAttempts
}

// Reused counts the stage's tasks reused from a resumed run's journal.
func (st *Stage) Reused() int {
	n := 0
	for _, t := range st.Tasks {
		if t.Reused() {
			n++
		}
	}
	return n
}

// Duration is how long the run took (so far).
func (r *Run) Duration(now time.Time) time.Duration {
	if r.Start.IsZero() {
		return 0
	}
	switch {
	case !r.End.IsZero():
		return r.End.Sub(r.Start)
	case r.Status == StateIncomplete:
		return r.LastTime.Sub(r.Start)
	}
	return now.Sub(r.Start)
}

// metricNames lists the metric keys present in ms, known ones first in a
// fixed order, then the others that are not zero everywhere, sorted
// (counters added to task.Metrics show up without changes here).
func metricNames(ms ...map[string]int64) []string {
	seen := map[string]bool{}
	for _, m := range ms {
		for k, v := range m {
			seen[k] = seen[k] || v != 0
		}
	}
	var out []string
	for _, k := range knownMetrics {
		if _, ok := seen[k]; ok {
			out = append(out, k)
			delete(seen, k)
		}
	}
	var rest []string
	for k, nonzero := range seen {
		if nonzero {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}

var knownMetrics = []string{"duration", "rows_in", "rows_out", "bytes_read", "bytes_written", "spilled_bytes"}

// resize sets the stage's task count to what it runs: adaptive execution
// may coalesce or split its planned partitions.
func (st *Stage) resize(n int) {
	if n <= 0 || n == len(st.Tasks) {
		return
	}
	tasks := make([]*Task, n)
	copy(tasks, st.Tasks)
	for p := range tasks {
		if tasks[p] == nil {
			tasks[p] = &Task{Partition: p}
		}
	}
	st.Tasks, st.Partitions = tasks, n
}
