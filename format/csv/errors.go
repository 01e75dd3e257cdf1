package csvfmt

import (
	"errors"
	"fmt"

	"github.com/drover-etl/drover/format"
)

// wrapParseError turns a malformed record into a DataError at its line and
// passes I/O errors through.
func wrapParseError(url string, line int64, err error) error {
	if errors.Is(err, errUnterminated) || errors.Is(err, errAfterQuote) {
		return &format.DataError{File: url, Line: line, Err: err}
	}
	return fmt.Errorf("csv: read %s: %w", url, err)
}

func fieldCountError(url string, line int64, want, got int) error {
	return &format.DataError{File: url, Line: line,
		Err: fmt.Errorf("expected %d fields, found %d", want, got)}
}

// isNull applies the NULL rules: an unquoted field that is empty or equals
// the null option; a quoted empty field outside string columns.
func isNull(v []byte, quoted, isString bool, o *options) bool {
	if quoted {
		return len(v) == 0 && !isString
	}
	return len(v) == 0 || (o.hasNull && string(v) == o.null)
}
