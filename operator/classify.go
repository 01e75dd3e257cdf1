package operator

import (
	"errors"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/storage"
)

// isInputFault reports errors caused by the input itself.
func isInputFault(err error) bool {
	var de *format.DataError
	return errors.As(err, &de) || errors.Is(err, format.ErrCorrupt) ||
		errors.Is(err, storage.ErrNotExist) || errors.Is(err, storage.ErrPermission)
}
