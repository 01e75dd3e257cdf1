package s3cost

import (
	"context"
	"sync/atomic"
)

// Recorder counts the requests made on behalf of one task or the driver.
// It is safe for concurrent use; a nil Recorder records nothing.
type Recorder struct {
	requests, bytes [numClasses]atomic.Int64
	errors, retries atomic.Int64
}

// NewRecorder returns an empty recorder.
func NewRecorder() *Recorder { return &Recorder{} }

// Request records one request of class c that moved n payload bytes.
func (r *Recorder) Request(c Class, n int64) {
	if r == nil || c < 0 || c >= numClasses {
		return
	}
	r.requests[c].Add(1)
	r.bytes[c].Add(n)
}

// Bytes adds payload bytes to class c without counting a request (a
// response body is counted as it is read, after its request).
func (r *Recorder) Bytes(c Class, n int64) {
	if r == nil || c < 0 || c >= numClasses {
		return
	}
	r.bytes[c].Add(n)
}

// Error records a failed request (already counted by Request).
func (r *Recorder) Error() {
	if r != nil {
		r.errors.Add(1)
	}
}

// Retry records that a failed request is being tried again.
func (r *Recorder) Retry() {
	if r != nil {
		r.retries.Add(1)
	}
}

// Usage is what has been recorded so far.
func (r *Recorder) Usage() Usage {
	var u Usage
	if r == nil {
		return u
	}
	for _, c := range Classes() {
		*u.Of(c) = Count{Requests: r.requests[c].Load(), Bytes: r.bytes[c].Load()}
	}
	u.Errors, u.Retries = r.errors.Load(), r.retries.Load()
	return u
}

type ctxKey struct{}

// WithRecorder returns ctx carrying r: S3 requests made with the result
// (or a context derived from it) are counted in r. The innermost recorder
// wins, so a task's recorder takes its requests from the driver's.
func WithRecorder(ctx context.Context, r *Recorder) context.Context {
	return context.WithValue(ctx, ctxKey{}, r)
}

// FromContext returns the recorder ctx carries, or nil.
func FromContext(ctx context.Context) *Recorder {
	r, _ := ctx.Value(ctxKey{}).(*Recorder)
	return r
}
