package storage

import (
	"context"
	"io"
)

// DeferredCreator is implemented by stores that can write an object at its
// final key and make it visible later, in one cheap step, by someone else
// (S3: a multipart upload whose completion is deferred). The output commit
// protocol uses it instead of staging and renaming when the store offers
// it: a sink task writes every file in place and reports tokens; the
// driver completes the winners' objects and aborts everything else.
//
// Tokens are opaque, printable strings: they travel in task results.
type DeferredCreator interface {
	// CreateDeferred starts writing key. Nothing becomes visible, not even
	// when the writer is closed, until CompleteDeferred.
	CreateDeferred(ctx context.Context, key string) (DeferredWriter, error)
	// CompleteDeferred makes the object that token describes visible at
	// key. Completing it again (a retried request) is not an error.
	CompleteDeferred(ctx context.Context, key, token string) error
	// AbortDeferred discards the object that token describes; it never
	// becomes visible. Aborting it again is not an error.
	AbortDeferred(ctx context.Context, key, token string) error
	// AbortAllDeferred discards every object under prefix still waiting
	// for completion whose key match accepts (nil: all), including those of
	// writers that never closed (a killed process), and returns how many.
	AbortAllDeferred(ctx context.Context, prefix string, match func(key string) bool) (int, error)
}

// DeferredWriter writes one deferred object.
type DeferredWriter interface {
	io.Writer
	// Close sends everything written and returns the token that completes
	// or aborts the object. The object is still invisible.
	Close() (token string, err error)
	// Abort discards everything written.
	Abort() error
}
