package remote

import (
	"errors"

	"github.com/drover-etl/drover/task"
)

// Sentinel errors.
var (
	// ErrExecutorLost marks a task whose executor stopped answering; the
	// scheduler retries such tasks elsewhere.
	ErrExecutorLost = task.ErrExecutorLost
	// ErrNoToken: an executor or a client without the run's token. Both
	// refuse to start rather than run unauthenticated.
	ErrNoToken = errors.New("no executor token")
	// ErrNoCertificate: an executor or a client without its TLS material.
	ErrNoCertificate = errors.New("no executor TLS certificate")
	// ErrBadCredentials: TLS material that does not load.
	ErrBadCredentials = errors.New("bad executor TLS credentials")
	// ErrNoExecutors: no executor was available for NoExecutorTimeout.
	ErrNoExecutors = errors.New("no live executor")
)
