package jsonlfmt

import (
	"errors"
	"fmt"

	"github.com/drover-etl/drover/format"
)

// parseLine appends one object's values to the columns; absent keys are
// NULL.
func (r *reader) parseLine(line []byte) error {
	r.row++
	if err := r.sc.object(line, r.member); err != nil {
		var de *format.DataError
		if errors.As(err, &de) {
			return err
		}
		return r.lineErr("", err)
	}
	for i := range r.cols {
		if r.seen[i] != r.row {
			r.cols[i].app.AppendNull()
		}
	}
	return nil
}

// member reads the value of key into its column, or skips it.
func (r *reader) member(key []byte) error {
	i, ok := r.index[string(key)]
	if !ok {
		return r.sc.anyValue(0)
	}
	c := &r.cols[i]
	if r.seen[i] == r.row {
		return r.lineErr(c.name, fmt.Errorf("key %q appears twice", c.name))
	}
	r.seen[i] = r.row
	k, v, err := r.sc.value()
	if err != nil {
		return err
	}
	if err := c.append(k, v); err != nil {
		return r.lineErr(c.name, err)
	}
	return nil
}

// lineErr is a DataError at the current line, numbered in the file (a
// later range counts the newlines before it now).
func (r *reader) lineErr(column string, err error) error {
	line, cerr := r.file.Line(r.ctx, r.lines.Line())
	if cerr != nil {
		return fmt.Errorf("jsonl: %s: %w (and %w)", r.url, err, cerr)
	}
	return &format.DataError{File: r.url, Line: line, Column: column, Err: err}
}
