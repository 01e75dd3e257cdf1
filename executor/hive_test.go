package executor

import (
	"testing"

	"github.com/drover-etl/drover/format/dataset"
	"github.com/drover-etl/drover/types"
)

// TestHivePathReadsBack: every directory name the sink writes parses back
// (format/dataset) to the key and the value's text, NULL included.
func TestHivePathReadsBack(t *testing.T) {
	values := []types.Value{
		types.StringValue("eu"), types.StringValue(""), types.StringValue("a/b=c%d"),
		types.StringValue("sp ace ü'\"#?*:[]^\\{}\x01\x7f"), types.StringValue("100%"),
		types.DateValue(-1), types.TimestampValue(1_700_000_000_123_456), types.Int64Value(-42),
		types.NullValue(types.StringType), types.NullValue(types.DateType),
	}
	for _, key := range []string{"region", "a=b/c", "Mixed Case"} {
		for _, v := range values {
			dir := HivePathKey(key) + "=" + HivePathValue(v)
			k, got, null, ok := dataset.ParseDir(dir)
			if !ok || k != key || null != v.Null {
				t.Errorf("%q: ParseDir = %q, %q, null=%v, ok=%v; want key %q, null=%v", dir, k, got, null, ok, key, v.Null)
				continue
			}
			if want := text(v); !v.Null && got != want {
				t.Errorf("%q: value %q, want %q", dir, got, want)
			}
		}
	}
}

// text is a value as the directory name spells it before escaping.
func text(v types.Value) string {
	switch v.Type.ID {
	case types.String:
		return v.S
	case types.Date:
		return types.FormatDate(int32(v.I))
	case types.Timestamp:
		return types.FormatTimestamp(v.I)
	}
	return v.String()
}
