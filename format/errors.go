package format

import (
	"errors"
	"fmt"
)

// ErrCorrupt marks a file that is not valid in its format (a truncated or
// non-Parquet file, say). It is never retried.
var ErrCorrupt = errors.New("corrupt file")

// DataError is bad input data: a malformed row or a value that does not fit
// the declared type. It names the file and the line (CSV, JSON lines: 1-based
// line in the file) or row (Parquet: 0-based row in the file), and the
// column when known. It is never retried.
type DataError struct {
	File   string
	Line   int64 // 1-based line number; 0 if not line-oriented
	Row    int64 // 0-based row number; used when Line is 0
	Column string
	Err    error
}

func (e *DataError) Error() string {
	loc := e.File
	switch {
	case e.Line > 0:
		loc = fmt.Sprintf("%s:%d", e.File, e.Line)
	case e.Row >= 0:
		loc = fmt.Sprintf("%s: row %d", e.File, e.Row)
	}
	if e.Column != "" {
		return fmt.Sprintf("%s: column %q: %v", loc, e.Column, e.Err)
	}
	return fmt.Sprintf("%s: %v", loc, e.Err)
}

func (e *DataError) Unwrap() error { return e.Err }
