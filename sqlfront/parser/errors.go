package parser

import (
	"errors"
	"fmt"

	"github.com/drover-etl/drover/sqlfront/ast"
)

// ErrSyntax is matched (errors.Is) by every error of this package.
var ErrSyntax = errors.New("syntax error")

// Error is a syntax error at a position of the text. Near is the text of
// the token where parsing stopped ("" at the end of the input); Msg, when
// set, says what was expected or what is wrong.
type Error struct {
	Pos  ast.Pos
	Near string
	End  bool
	Msg  string
	// ColumnOnly prints "column C" alone: for the one-line texts of the
	// structured-view entry points.
	ColumnOnly bool
}

func (e *Error) Error() string {
	s := "syntax error"
	switch {
	case e.End:
		s += " at the end"
	case e.Near != "":
		s += fmt.Sprintf(" near %q", e.Near)
	}
	if e.ColumnOnly {
		s += fmt.Sprintf(" (column %d)", e.Pos.Col)
	} else {
		s += fmt.Sprintf(" (line %d, column %d)", e.Pos.Line, e.Pos.Col)
	}
	if e.Msg != "" {
		s += ": " + e.Msg
	}
	return s
}

// Is makes errors.Is(err, ErrSyntax) hold.
func (e *Error) Is(target error) bool { return target == ErrSyntax }

// errorAt is an error at pos with a message and no token (lexer errors).
func errorAt(pos ast.Pos, format string, args ...any) *Error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}
