package sqlfront

import (
	"errors"
	"fmt"

	"github.com/drover-etl/drover/sqlfront/parser"
	"github.com/drover-etl/drover/types"
)

// Sentinel errors of this package.
var (
	// ErrSyntax is the parser's: its positioned errors match it too.
	ErrSyntax          = parser.ErrSyntax
	ErrUnsupported     = errors.New("not supported")
	ErrUnknownRelation = errors.New("unknown relation")
	ErrPlan            = errors.New("invalid query")
)

// ClauseError says which clause of a query an error comes from ("where",
// "select", "group_by", "aggregate", "having", "order_by", "from", "join",
// "limit"), so the job-spec front end can point at the attribute and SQL
// users know where to look. Item is the list element (-1: the clause).
type ClauseError struct {
	Clause string
	Item   int
	Err    error
}

func (e *ClauseError) Error() string { return e.Clause + ": " + e.Err.Error() }
func (e *ClauseError) Unwrap() error { return e.Err }

func clauseErr(clause string, item int, err error) error {
	if err == nil {
		return nil
	}
	var ce *ClauseError
	if errors.As(err, &ce) {
		return err
	}
	return &ClauseError{Clause: clause, Item: item, Err: err}
}

// msgError is a message that matches a sentinel without repeating it, so
// users read "OFFSET is not supported" rather than "not supported: OFFSET".
type msgError struct {
	kind error
	msg  string
}

func (e *msgError) Error() string        { return e.msg }
func (e *msgError) Is(target error) bool { return target == e.kind }

// unsupported reports SQL that parses but Drover cannot run (yet); the
// message is a full sentence.
func unsupported(format string, args ...any) error {
	return &msgError{kind: ErrUnsupported, msg: fmt.Sprintf(format, args...)}
}

// parseErr is a syntax error found after parsing (a malformed literal).
func parseErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrSyntax, fmt.Sprintf(format, args...))
}

func planErr(format string, args ...any) error {
	return &msgError{kind: ErrPlan, msg: fmt.Sprintf(format, args...)}
}

// unknownRelation names a missing relation and the closest known one.
func unknownRelation(name string, known []string) error {
	msg := fmt.Sprintf("%q", name)
	if s := nearest(name, known); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return fmt.Errorf("%w %s", ErrUnknownRelation, msg)
}

func nearest(name string, candidates []string) string { return types.Nearest(name, candidates) }
