package storage

import (
	"context"
	"io"
	"time"
)

// Store is an object store rooted at some location. Keys are slash-separated
// paths relative to that root, as produced by Resolve.
type Store interface {
	// Open opens an object for ranged reads.
	Open(ctx context.Context, key string) (File, error)
	// Create starts writing an object. It becomes visible only when Close
	// returns nil; Abort (or a failed Close) leaves nothing behind.
	Create(ctx context.Context, key string) (Writer, error)
	// Stat describes one object; ErrNotExist when absent.
	Stat(ctx context.Context, key string) (Info, error)
	// List returns every object under prefix (recursively), sorted by key.
	List(ctx context.Context, prefix string) ([]Info, error)
	// Delete removes one object; deleting an absent object is not an error.
	Delete(ctx context.Context, key string) error
	// Rename moves an object (local: rename; S3: server-side copy + delete).
	Rename(ctx context.Context, from, to string) error
	// URL renders key as a full path a user can read (for messages).
	URL(key string) string
}

// File is an open object.
type File interface {
	io.ReaderAt
	io.Closer
	// Size is the object's length in bytes.
	Size() int64
}

// Writer writes one object.
type Writer interface {
	io.Writer
	// Close completes the object and makes it visible.
	Close() error
	// Abort discards everything written; the object never becomes visible.
	Abort() error
}

// Info describes one object.
type Info struct {
	Key     string
	Size    int64
	ModTime time.Time
}

// UploadBufferer is a Store whose writers hold what is written in memory
// until it leaves (S3's parts: a single PUT's whole object, or a multipart
// upload's part being filled and those in flight).
type UploadBufferer interface {
	// UploadBuffer is the most one writer from Create holds at once.
	UploadBuffer() int64
}

// UploadBuffer is the most one writer from s.Create holds in memory (0:
// it writes through, as the local store does), for callers that reserve
// it from a memory budget.
func UploadBuffer(s Store) int64 {
	if b, ok := s.(UploadBufferer); ok {
		return b.UploadBuffer()
	}
	return 0
}

// UploadTuner is a Store whose writers' buffers can be made smaller.
type UploadTuner interface {
	// WithUploads is the same store with writers that send parts of
	// partSize bytes, threads at a time (spill files: many open at once,
	// each holding little).
	WithUploads(partSize, threads int) (Store, error)
}
