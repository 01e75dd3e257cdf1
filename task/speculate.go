package task

import (
	"context"
	"errors"
)

// ErrNoSpareExecutor: a speculative copy found no free slot on another
// executor than the one running the attempt it copies. The driver drops
// the copy; the original keeps running.
var ErrNoSpareExecutor = errors.New("no free slot on another executor for a speculative copy")

type speculativeKey struct{}

// WithSpeculative marks ctx as running a speculative copy of attempt of,
// so an executor pool can place it on a different executor.
func WithSpeculative(ctx context.Context, of ID) context.Context {
	return context.WithValue(ctx, speculativeKey{}, of)
}

// SpeculativeOf returns the attempt the task run under ctx copies.
func SpeculativeOf(ctx context.Context) (ID, bool) {
	id, ok := ctx.Value(speculativeKey{}).(ID)
	return id, ok
}
