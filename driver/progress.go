package driver

import (
	"errors"
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

type nopProgress struct{}

func (nopProgress) StageStarted(int, int, string)              {}
func (nopProgress) TaskDone(int, task.Metrics)                 {}
func (nopProgress) TaskRetry(task.ID, error)                   {}
func (nopProgress) Recompute(int, int, error)                  {}
func (nopProgress) StageDone(int, task.Metrics, time.Duration) {}

// describeStage is a short label: the fragment's root and its output.
func describeStage(st *stage.Stage) string {
	if st.IsSink() {
		return "write " + st.Root.Write.Sink
	}
	return st.Root.Op.String() + " → " + st.Output.Kind.String()
}

func asTaskError(err error, te **task.Error) bool { return errors.As(err, te) }
