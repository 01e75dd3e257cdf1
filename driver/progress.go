package driver

import (
	"errors"

	"github.com/drover-etl/drover/commit"
	"time"

	"github.com/drover-etl/drover/stage"
	"github.com/drover-etl/drover/task"
)

// Progress receives scheduling events; the CLI draws bars or logs them.
type Progress interface {
	StageStarted(stage, tasks int, desc string)
	TaskDone(stage int, m task.Metrics)
	TaskRetry(id task.ID, err error)
	Recompute(stage, partition int, err error)
	StageDone(stage int, m task.Metrics, wall time.Duration)
}

// ResumeProgress is a Progress that also hears, when a resumed run's
// stage starts, which of its tasks an earlier driver of the run finished:
// their journaled winning results, reused instead of run (the console,
// the event log and the UI show them as done). The CLI's progress and the
// event log's Recorder implement it.
type ResumeProgress interface {
	TasksReused(stage int, results []*task.Result)
}

// Observer hears every task attempt and sink commit, for the event log
// and the web UI. Calls come from many goroutines at once.
type Observer interface {
	// TaskStarted: the attempt got a driver slot and goes to the
	// Executor (a pool may still queue it for a free executor).
	TaskStarted(spec *task.Spec)
	// TaskEnded: the attempt finished; err is nil on success, else res is
	// nil (task.ExecutorOf(err) names the executor when known).
	TaskEnded(spec *task.Spec, res *task.Result, err error)
	// SinkCommitted: a sink's output became visible.
	SinkCommitted(res commit.Result)
}

type nopObserver struct{}

func (nopObserver) TaskStarted(*task.Spec)                    {}
func (nopObserver) TaskEnded(*task.Spec, *task.Result, error) {}
func (nopObserver) SinkCommitted(commit.Result)               {}

type nopProgress struct{}

func (nopProgress) StageStarted(int, int, string)              {}
func (nopProgress) TaskDone(int, task.Metrics)                 {}
func (nopProgress) TaskRetry(task.ID, error)                   {}
func (nopProgress) Recompute(int, int, error)                  {}
func (nopProgress) StageDone(int, task.Metrics, time.Duration) {}

// DescribeStage is a short label: the fragment's root and its output.
func DescribeStage(st *stage.Stage) string {
	if st.IsSink() {
		return "write " + st.Root.Write.Sink
	}
	return st.Root.Op.String() + " → " + st.Output.Kind.String()
}

func asTaskError(err error, te **task.Error) bool { return errors.As(err, te) }
