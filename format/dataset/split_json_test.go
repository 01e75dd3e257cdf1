package dataset

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/types"
)

// TestSplitPartitionJSON: partition values reach remote executors inside
// task specs as JSON and must come back with their types, NULLs included.
func TestSplitPartitionJSON(t *testing.T) {
	in := format.Split{URL: "s3://b/k=1/f.parquet", Size: 10, Partition: []types.Value{
		types.DateValue(-3), types.StringValue(""), types.NullValue(types.Int64Type),
		types.DecimalValue(decimal128.FromI64(-7), 9, 2), types.TimestampValue(1_700_000_000_000_001),
		types.Int64Value(9_000_000_000_000_000_001 / 1000), types.Float64Value(0.1), types.NullValue(types.DecimalOf(12, 4)),
	}}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out format.Split
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Errorf("round trip:\n got %+v\nwant %+v\njson %s", out, in, b)
	}
}
