package commit

import "errors"

// Sentinel errors.
var (
	// ErrOutputExists fails a mode = "error" sink whose directory has output.
	ErrOutputExists = errors.New("output already exists")
	// ErrLocked fails a mode = "error" sink another run is writing.
	ErrLocked = errors.New("another run is writing this sink")
	// ErrUnsafePath refuses a sink path overwrite could not be trusted with.
	ErrUnsafePath = errors.New("unsafe sink path")
	// ErrCleanupIncomplete: the new output was committed (visible), but a
	// step after the commit point failed; the message says which.
	ErrCleanupIncomplete = errors.New("output committed, cleanup incomplete")
)
