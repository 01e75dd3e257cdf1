package expr

import (
	"errors"
	"fmt"
)

// Sentinel errors of the binder. Unknown and ambiguous columns come from
// package types (types.ErrUnknownColumn, types.ErrAmbiguousColumn).
var (
	ErrType            = errors.New("type error")
	ErrUnknownFunction = errors.New("unknown function")
	ErrArity           = errors.New("wrong number of arguments")
)

// bindError carries a ready-made message and the sentinel it matches, so
// users read "cannot compare string with int64 in (status = 5)" and callers
// can still test errors.Is(err, ErrType).
type bindError struct {
	kind error
	msg  string
}

func (e *bindError) Error() string        { return e.msg }
func (e *bindError) Is(target error) bool { return target == e.kind }

func typeErrorf(format string, args ...any) error {
	return &bindError{kind: ErrType, msg: fmt.Sprintf(format, args...)}
}
