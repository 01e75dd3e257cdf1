package operator

import (
	"errors"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/task"
)

// isInputFault reports errors caused by the input itself.
func isInputFault(err error) bool {
	var de *format.DataError
	return errors.As(err, &de) || errors.Is(err, format.ErrCorrupt) ||
		errors.Is(err, storage.ErrNotExist) || errors.Is(err, storage.ErrPermission)
}

// evalFailed classifies an expression error: fatal (bad data, a type
// error: running again cannot help) unless it already carries a class, as
// a plugin call's does (a crashed plugin is restarted, so its task is worth
// retrying).
// EvalFailed is evalFailed for the executor's own expression evaluation.
func EvalFailed(err error) error { return evalFailed(err) }

func evalFailed(err error) error {
	var te *task.Error
	if errors.As(err, &te) {
		return err
	}
	return task.AsFatal(err)
}
