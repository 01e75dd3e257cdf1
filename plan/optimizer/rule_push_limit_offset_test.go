package optimizer

import (
	"testing"

	"github.com/drover-etl/drover/plan/logical"
)

// TestPushLimitWithOffsets: under LIMIT n OFFSET m each union input may
// contribute n+m rows; an inner Limit that skips rows is capped over, not
// replaced; an OFFSET alone bounds nothing.
func TestPushLimitWithOffsets(t *testing.T) {
	a := scan("a", 100, "x:int64")
	b := scan("b", 100, "x:int64")
	c := scan("c", 100, "x:int64")
	u := &logical.Union{Inputs: []logical.Node{a, logical.NewLimit(b, 20, 5), logical.NewLimit(c, -1, 2)}}
	checkFormat(t, applyOne(t, PushLimitIntoUnion, logical.NewLimit(u, 10, 3), Config{}), `
		Limit 10 offset 3
		  Union all (3 inputs)
		    Limit 13
		      Scan a [parquet data/a] columns=[x]
		    Limit 13
		      Limit 20 offset 5
		        Scan b [parquet data/b] columns=[x]
		    Limit 13
		      Offset 2
		        Scan c [parquet data/c] columns=[x]`)
	offsetOnly := logical.NewLimit(u, -1, 3)
	if got := applyOne(t, PushLimitIntoUnion, offsetOnly, Config{}); logical.Format(got) != logical.Format(offsetOnly) {
		t.Errorf("an OFFSET alone was pushed:\n%s", logical.Format(got))
	}
}
