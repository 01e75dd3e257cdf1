package spill

import (
	"io"

	"github.com/drover-etl/drover/memory"
)

// Dir creates one task's spill files.
type Dir interface {
	// Create starts a spill file. what names the operator ("sort",
	// "agg"): in a local file's name and in messages. pool, when set,
	// is charged for what the file holds in memory while it is written
	// and read (S3's part and read buffers; nothing for a local file).
	Create(what string, pool *memory.Pool) (Writer, error)
	// String names the place for messages (never a credential).
	String() string
}

// Writer writes one spill file sequentially.
type Writer interface {
	io.Writer
	// Finish completes the file and returns it for reading. The Writer
	// is done either way; on error nothing is left behind.
	Finish() (File, error)
	// Abort discards the file. Safe after Finish (it does nothing then).
	Abort()
	// Name is the file's path or URL, for messages.
	Name() string
}

// File is a finished spill file.
type File interface {
	// Name is the file's path or URL, for messages.
	Name() string
	// Size is its length in bytes: what was written.
	Size() int64
	// Section reads n bytes at off, front to back. Reads after Remove fail.
	Section(off, n int64) io.Reader
	// Remove deletes the file. Safe to call more than once.
	Remove() error
}

// Reader reads all of f from its start.
func Reader(f File) io.Reader { return f.Section(0, f.Size()) }
