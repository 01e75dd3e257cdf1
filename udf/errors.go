package udf

import (
	"context"
	"errors"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Sentinel errors. The client wraps every failed call in one of them, from
// the gRPC status the plugin answered with.
var (
	// ErrUnknownFunction: the plugin exports no such function (NOT_FOUND).
	ErrUnknownFunction = errors.New("unknown plugin function")
	// ErrRejected: the function does not accept these arguments or this
	// input (INVALID_ARGUMENT).
	ErrRejected = errors.New("plugin rejected the call")
	// ErrUnavailable: the plugin asked for a retry, or the connection to it
	// broke, which usually means its process died (UNAVAILABLE).
	ErrUnavailable = errors.New("plugin unavailable")
	// ErrFailed: the function failed (any other status).
	ErrFailed = errors.New("plugin function failed")
	// ErrProtocol: a message did not follow the protocol.
	ErrProtocol = errors.New("plugin protocol error")
)

// retryable marks an error a plugin wants retried.
type retryable struct{ err error }

func (r retryable) Error() string { return r.err.Error() }
func (r retryable) Unwrap() error { return r.err }

// Retryable marks err as passing (a timeout of a service the plugin calls,
// say): the executor retries the task instead of failing the job. Plugin
// code returns it from Call, Batch or Finish.
func Retryable(err error) error {
	if err == nil {
		return nil
	}
	return retryable{err}
}

// toStatus turns a plugin-side error into the gRPC status the protocol
// prescribes.
func toStatus(err error) error {
	var r retryable
	switch {
	case err == nil:
		return nil
	case errors.As(err, &r):
		return status.Error(codes.Unavailable, err.Error())
	case errors.Is(err, ErrUnknownFunction):
		return status.Error(codes.NotFound, strip(err, ErrUnknownFunction))
	case errors.Is(err, ErrRejected):
		return status.Error(codes.InvalidArgument, strip(err, ErrRejected))
	case errors.Is(err, context.Canceled):
		return status.Error(codes.Canceled, err.Error())
	case errors.Is(err, context.DeadlineExceeded):
		return status.Error(codes.DeadlineExceeded, err.Error())
	}
	if _, ok := status.FromError(err); ok {
		return err
	}
	return status.Error(codes.Unknown, err.Error())
}

// strip drops the sentinel's text from an error wrapping it: the status
// code says it already, and the other end adds it back.
func strip(err, sentinel error) string {
	return strings.TrimPrefix(err.Error(), sentinel.Error()+": ")
}

// fromStatus turns a gRPC error into one wrapping a sentinel. ctx is the
// call's context: when it is done, its error explains the failure better
// than the status does.
func fromStatus(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	if ctxErr := context.Cause(ctx); ctxErr != nil {
		return ctxErr
	}
	st, ok := status.FromError(err)
	if !ok {
		return &CallError{Kind: ErrUnavailable, Msg: err.Error()}
	}
	kind := ErrFailed
	switch st.Code() {
	case codes.NotFound:
		kind = ErrUnknownFunction
	case codes.InvalidArgument:
		kind = ErrRejected
	case codes.Unavailable, codes.Canceled:
		// Canceled without our context being done: the transport went away.
		kind = ErrUnavailable
	}
	return &CallError{Kind: kind, Msg: st.Message()}
}

// CallError is a failed call as the plugin (or the broken connection to
// it) reported it. Kind is one of the sentinels; errors.Is sees it.
type CallError struct {
	Kind error
	Msg  string // the plugin's own words
}

func (e *CallError) Error() string { return e.Kind.Error() + ": " + e.Msg }
func (e *CallError) Unwrap() error { return e.Kind }
