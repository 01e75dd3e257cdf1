package remote

import (
	"errors"
	"time"

	"github.com/drover-etl/drover/task"
)

// RunRequest carries one task.
type RunRequest struct {
	Spec *task.Spec `json:"spec"`
}

// RunResponse carries the result, or the task's classified error.
type RunResponse struct {
	Result *task.Result `json:"result,omitempty"`
	Error  *WireError   `json:"error,omitempty"`
}

// WireError is a task error with its class, as sent over the network.
type WireError struct {
	Class     task.Class `json:"class"`
	Stage     int        `json:"stage,omitempty"`
	Partition int        `json:"partition,omitempty"`
	Message   string     `json:"message"`
	// Metrics are the failed attempt's (its S3 requests), if known.
	Metrics *task.Metrics `json:"metrics,omitempty"`
}

func toWire(err error) *WireError {
	w := &WireError{Class: task.ClassOf(err), Message: err.Error()}
	var te *task.Error
	if errors.As(err, &te) {
		w.Stage, w.Partition = te.Stage, te.Partition
	}
	if m, ok := task.MetricsOf(err); ok {
		w.Metrics = &m
	}
	return w
}

func (w *WireError) toError() error {
	err := error(&task.Error{Class: w.Class, Stage: w.Stage, Partition: w.Partition, Err: errors.New(w.Message)})
	if w.Metrics != nil {
		err = task.WithMetrics(err, *w.Metrics)
	}
	return err
}

// CancelRequest names a running task attempt.
type CancelRequest struct {
	ID task.ID `json:"id"`
}

// StatusRequest asks for the executor's status (the heartbeat).
type StatusRequest struct{}

// Status describes an executor.
type Status struct {
	Name    string        `json:"name"`
	Slots   int           `json:"slots"`
	Running []task.ID     `json:"running"`
	Done    int64         `json:"done"`
	Uptime  time.Duration `json:"uptime"`
}

// Empty is an empty message.
type Empty struct{}
