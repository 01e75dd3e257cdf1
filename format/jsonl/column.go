package jsonlfmt

import (
	"fmt"

	"github.com/drover-etl/drover/format/csv/textcol"
	"github.com/drover-etl/drover/types"
)

// column is one produced column of the reader.
type column struct {
	name string
	t    types.Type
	app  textcol.Appender
}

// append checks that a JSON value's kind suits the column (see the
// package comment) and parses it into the builder.
func (c *column) append(k kind, v []byte) error {
	if k == kNull {
		c.app.AppendNull()
		return nil
	}
	if !accepts(c.t.ID, k, v) {
		return fmt.Errorf("expected %s, found %s", c.t, describe(k, v))
	}
	return c.app.Append(v)
}

func accepts(id types.ID, k kind, v []byte) bool {
	switch id {
	case types.String:
		return true
	case types.Bool:
		return k == kTrue || k == kFalse
	case types.Int32, types.Int64:
		return k == kNumber
	case types.Float32, types.Float64:
		return k == kNumber || (k == kString && isNonFinite(v))
	case types.Decimal:
		return k == kNumber || k == kString
	case types.Date, types.Timestamp:
		return k == kString
	}
	return false
}

// isNonFinite matches the strings the writer uses for NaN and infinities.
func isNonFinite(v []byte) bool {
	switch string(v) {
	case "NaN", "Infinity", "-Infinity", "+Infinity":
		return true
	}
	return false
}

func describe(k kind, v []byte) string {
	switch k {
	case kString, kNumber:
		return fmt.Sprintf("%s %s", k, textcol.Quote(v))
	case kObject, kArray:
		return "an " + k.String()
	}
	return k.String()
}
