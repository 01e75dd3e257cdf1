package executor

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/format/dataset"
	"github.com/drover-etl/drover/types"
)

// HiveNull is the directory value Hive, Spark and DuckDB use for NULL;
// format/dataset reads it back as NULL.
const HiveNull = dataset.HiveNull

// HivePathKey renders a partition column name as a path segment's key,
// escaped like values (a name with '/' or '=' would break the layout).
func HivePathKey(name string) string { return hiveEscape(name) }

// HivePathValue renders a partition value as a path segment the way Hive
// does: plain text, with path-unsafe characters escaped as %XX.
func HivePathValue(v types.Value) string {
	if v.Null {
		return HiveNull
	}
	var s string
	switch v.Type.ID {
	case types.String:
		s = v.S
	case types.Date:
		s = types.FormatDate(int32(v.I))
	case types.Timestamp:
		s = types.FormatTimestamp(v.I)
	default:
		s = v.String()
	}
	return hiveEscape(s)
}

func hiveEscape(s string) string {
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f || strings.IndexByte("\"#%'*/:=?\\{[]^", c) >= 0 {
			fmt.Fprintf(&sb, "%%%02X", c)
			continue
		}
		sb.WriteByte(c)
	}
	return sb.String()
}

func newRecord(schema *arrow.Schema, cols []arrow.Array, n int64) arrow.RecordBatch {
	return array.NewRecordBatch(schema, cols, n)
}

// countingWriter counts bytes written through it.
type countingWriter struct {
	w interface{ Write([]byte) (int, error) }
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
