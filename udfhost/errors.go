package udfhost

import "errors"

// Sentinel errors. Failures of calls are also classified for the task
// scheduler (task.AsRetryable / task.AsFatal): crashes and hangs are
// retried on a restarted plugin; contract breaches are not.
var (
	// ErrUnknownPlugin: a function names a plugin the job did not declare.
	ErrUnknownPlugin = errors.New("unknown plugin")
	// ErrCrashed: the plugin process died during a call.
	ErrCrashed = errors.New("plugin crashed")
	// ErrTimeout: the plugin did not answer a call in time.
	ErrTimeout = errors.New("plugin call timed out")
	// ErrStart: the plugin process did not start.
	ErrStart = errors.New("plugin failed to start")
	// ErrContract: the plugin answered with something other than it
	// declared (a result of the wrong type or length, a batch of the
	// wrong schema), or declared a type Drover does not exchange.
	ErrContract = errors.New("plugin broke its contract")
	// ErrChecksum: a binary's sha256 is not the one expected.
	ErrChecksum = errors.New("plugin binary checksum mismatch")
	// ErrNoChecksum: a remote binary without the sha256 to check it by.
	ErrNoChecksum = errors.New("a remote plugin binary needs its sha256")
)
