package eval

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/drover-etl/drover/types"
)

// Sentinel errors of this package.
var (
	// ErrInvalid: the tree breaks the bound-tree contract (a binder bug or a
	// hand-built tree), or a batch does not match the tree's column types.
	ErrInvalid = errors.New("invalid bound expression")
	// ErrOverflow: an integer or decimal result does not fit its type.
	ErrOverflow = errors.New("numeric overflow")
	// ErrCast: a value cannot be converted (see CastError).
	ErrCast = errors.New("invalid cast")
	// ErrUDF: a plugin function failed or broke its result contract.
	ErrUDF = errors.New("plugin function failed")
	// ErrInvalidArg: a function's argument is outside its domain (the
	// square root of a negative number, an invalid date, a bad pattern).
	ErrInvalidArg = errors.New("invalid argument")
)

// CastError reports one value that a CAST could not convert. It matches
// ErrCast, and ErrOverflow as well when the value was out of range.
type CastError struct {
	Value    string // the value as SQL would print it ("12x" quoted, 3000000000 bare)
	To       types.Type
	Overflow bool
}

func (e *CastError) Error() string {
	msg := fmt.Sprintf("cannot cast %s to %s", e.Value, e.To)
	if e.Overflow {
		msg += ": out of range"
	}
	return msg
}

// Is makes errors.Is match ErrCast, and ErrOverflow for range failures.
func (e *CastError) Is(target error) bool {
	return target == ErrCast || (e.Overflow && target == ErrOverflow)
}

func castStringError(s string, to types.Type) error {
	return &CastError{Value: strconv.Quote(s), To: to}
}

func castRangeError(v string, to types.Type) error {
	return &CastError{Value: v, To: to, Overflow: true}
}

// overflowError names the operation, its type and the offending operands.
func overflowError(op string, t types.Type, detail string) error {
	return fmt.Errorf("%w: %s %s out of range (%s)", ErrOverflow, t, op, detail)
}

func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...)
}
