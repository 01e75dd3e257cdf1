package task

import (
	"errors"
	"fmt"
)

// Class decides what the scheduler does with a failed attempt.
type Class uint8

// Error classes: Retryable attempts run again (up to a limit); Fatal ones
// fail the job at once (bad input, a type error, a missing file); a
// FetchFailed one means an upstream shuffle object is gone, so the
// scheduler re-runs the map task that produced it, then this task.
const (
	Retryable Class = iota
	Fatal
	FetchFailed
)

var classNames = [...]string{"retryable", "fatal", "fetch-failed"}

func (c Class) String() string { return classNames[c] }

// ErrExecutorLost marks an attempt that failed because its executor went
// away (not because of the task): the scheduler retries it without
// counting it against the task's attempt limit.
var ErrExecutorLost = errors.New("executor lost")

// ErrOOMKilled marks an attempt whose executor the cluster manager killed
// for exceeding its memory. Unlike ErrExecutorLost it counts against the
// task's attempts: the task itself may be what outgrew the memory, and
// retrying it without bound would crash-loop the executors.
// Its text reads as a verb phrase: "executor x was OOM-killed by Nomad".
var ErrOOMKilled = errors.New("OOM-killed")

// Error is a classified task failure.
type Error struct {
	Class Class
	// Stage and Partition name the lost map output (FetchFailed only).
	Stage, Partition int
	Err              error
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// AsFatal marks err as fatal.
func AsFatal(err error) error { return &Error{Class: Fatal, Err: err} }

// AsRetryable marks err as retryable.
func AsRetryable(err error) error { return &Error{Class: Retryable, Err: err} }

// FetchFailure reports that map output (stage, partition) could not be read.
func FetchFailure(stage, partition int, err error) error {
	return &Error{Class: FetchFailed, Stage: stage, Partition: partition,
		Err: fmt.Errorf("shuffle output of task %d.%d is missing: %w", stage, partition, err)}
}

// ClassOf classifies any error; unclassified errors are retryable, since a
// bug-free task fails for a passing reason more often than not, and the
// retry limit bounds the cost when it does not.
func ClassOf(err error) Class {
	var e *Error
	if errors.As(err, &e) {
		return e.Class
	}
	return Retryable
}

// onExecutor records which executor an attempt failed on without changing
// the error's message or class.
type onExecutor struct {
	addr string
	err  error
}

func (e *onExecutor) Error() string { return e.err.Error() }
func (e *onExecutor) Unwrap() error { return e.err }

// OnExecutor tags err with the executor the attempt ran on.
func OnExecutor(addr string, err error) error {
	if err == nil {
		return nil
	}
	return &onExecutor{addr: addr, err: err}
}

// ExecutorOf returns the executor err was tagged with by OnExecutor ("" if
// none).
func ExecutorOf(err error) string {
	var e *onExecutor
	if errors.As(err, &e) {
		return e.addr
	}
	return ""
}
