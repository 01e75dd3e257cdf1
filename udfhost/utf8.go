package udfhost

import (
	"fmt"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/task"
)

// stringValues is what every Arrow string array offers.
type stringValues interface {
	arrow.Array
	Value(i int) string
}

// invalidUTF8 returns the first row of a string column (plain, large,
// view, or a dictionary of strings) whose value is not valid UTF-8, or
// -1. Arrow strings must be UTF-8; a plugin that breaks that would have
// Drover write files other readers refuse.
func invalidUTF8(col arrow.Array) int {
	if d, ok := col.(*array.Dictionary); ok {
		if bad := invalidUTF8(d.Dictionary()); bad >= 0 {
			for i := 0; i < d.Len(); i++ {
				if d.IsValid(i) && d.GetValueIndex(i) == bad {
					return i
				}
			}
		}
		return -1
	}
	s, ok := col.(stringValues)
	if !ok || !isString(col.DataType()) {
		return -1
	}
	for i := 0; i < s.Len(); i++ {
		if s.IsValid(i) && !utf8.ValidString(s.Value(i)) {
			return i
		}
	}
	return -1
}

func isString(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.STRING, arrow.LARGE_STRING, arrow.STRING_VIEW:
		return true
	}
	return false
}

// checkUTF8 fails a plugin's result that holds invalid UTF-8, naming the
// plugin function, the column and the row.
func checkUTF8(name, column string, col arrow.Array) error {
	row := invalidUTF8(col)
	if row < 0 {
		return nil
	}
	return task.AsFatal(fmt.Errorf("%w: %s returned a string that is not valid UTF-8 (%srow %d of the batch)",
		ErrContract, name, column, row))
}
