package storage

import (
	"errors"
	"fmt"
)

// Sentinel errors. Implementations wrap them so callers test with errors.Is.
var (
	ErrNotExist   = errors.New("no such object")
	ErrExist      = errors.New("object already exists")
	ErrNoScheme   = errors.New("no storage for this scheme")
	ErrPermission = errors.New("permission denied")
)

// TransientError marks a failure worth retrying (a timeout, a reset
// connection, an S3 503 SlowDown). Anything else is treated as fatal.
type TransientError struct{ Err error }

func (e *TransientError) Error() string { return "transient: " + e.Err.Error() }
func (e *TransientError) Unwrap() error { return e.Err }

// Transient wraps err as retryable.
func Transient(err error) error { return &TransientError{Err: err} }

// IsTransient reports whether err (or anything it wraps) is retryable.
func IsTransient(err error) bool {
	var t *TransientError
	return errors.As(err, &t)
}

// PathError names the object an operation failed on.
type PathError struct {
	Op  string
	URL string
	Err error
}

func (e *PathError) Error() string { return fmt.Sprintf("%s %s: %v", e.Op, e.URL, e.Err) }
func (e *PathError) Unwrap() error { return e.Err }
