package icetable

import "errors"

// Sentinel errors; callers match them with errors.Is.
var (
	// ErrConfig: a catalog block or table name is invalid.
	ErrConfig = errors.New("iceberg: invalid configuration")
	// ErrSchema: a table's schema cannot be read or written by Drover, or
	// a sink's columns do not fit the existing table.
	ErrSchema = errors.New("iceberg: schema mismatch")
	// ErrUnsupported: the table uses a feature Drover does not read
	// (row-level deletes, renamed columns, non-identity partitions on write).
	ErrUnsupported = errors.New("iceberg: unsupported table feature")
	// ErrTableExists fails a mode = "error" sink whose table has data.
	ErrTableExists = errors.New("iceberg: table already has data")
	// ErrCommitConflict: other writers kept winning every retry.
	ErrCommitConflict = errors.New("iceberg: commit conflict persisted")
)
