package eventlog

import "errors"

var (
	// ErrNoLog: the directory holds no event log for the run.
	ErrNoLog = errors.New("no event log")
	// ErrNewerVersion: the log was written by a newer schema than this
	// binary reads.
	ErrNewerVersion = errors.New("event log schema is newer than this drover")
	// ErrCorrupt: a line in the middle of the log is not a valid event.
	ErrCorrupt = errors.New("corrupt event log")
)
