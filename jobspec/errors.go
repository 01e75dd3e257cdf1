package jobspec

import (
	"errors"
	"fmt"
	"github.com/drover-etl/drover/types"

	"github.com/hashicorp/hcl/v2"
)

// ErrInvalid matches every error about the content of a job file.
var ErrInvalid = errors.New("invalid job spec")

// Error is a problem at a position of a job file. It renders as
// "file:line:col: message" and unwraps to the underlying error, if any.
type Error struct {
	Range hcl.Range
	Err   error
}

// At attaches the position rng to err. Planning code uses it so that an
// unknown column in a where string reads "jobs/x.hcl:12:14: where: ...".
func At(rng hcl.Range, err error) error {
	if err == nil {
		return nil
	}
	return &Error{Range: rng, Err: err}
}

// Errorf is At with a formatted message.
func Errorf(rng hcl.Range, format string, args ...any) error {
	return At(rng, fmt.Errorf(format, args...))
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %v", e.Range.Filename, e.Range.Start.Line, e.Range.Start.Column, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrInvalid) true for every positioned error.
func (e *Error) Is(target error) bool { return target == ErrInvalid }

// flagError is a mistake in the command-line settings of a job (a --var
// naming no variable): it has no position in the file.
type flagError struct{ msg string }

func (e *flagError) Error() string        { return e.msg }
func (e *flagError) Is(target error) bool { return target == ErrInvalid }

// diagErrors converts HCL diagnostics into positioned errors, one per
// diagnostic, joined so that the user sees all of them at once.
func diagErrors(diags hcl.Diagnostics) error {
	var errs []error
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		var rng hcl.Range
		if d.Subject != nil {
			rng = *d.Subject
		}
		errs = append(errs, &Error{Range: rng, Err: errors.New(msg)})
	}
	return errors.Join(errs...)
}

// diag is a one-line error diagnostic at rng.
func diag(rng hcl.Range, format string, args ...any) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: fmt.Sprintf(format, args...), Subject: rng.Ptr()}
}

// didYouMean returns ` (did you mean "x"?)` for the candidate closest to
// name, or "" when none is close.
func didYouMean(name string, candidates []string) string {
	best := types.Nearest(name, candidates)
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}
