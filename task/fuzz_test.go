package task_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/task"
	"github.com/drover-etl/drover/types"
)

// FuzzSpecDecode decodes arbitrary bytes as the task.Spec JSON an
// executor receives. Decoding must not panic, and whatever decodes must
// encode to a form that decodes to the same encoding again (no value is
// silently changed on the way between driver and executor).
func FuzzSpecDecode(fz *testing.F) {
	seed, err := json.Marshal(sampleSpec())
	if err != nil {
		fz.Fatal(err)
	}
	fz.Add(seed)
	fz.Add([]byte(`{"stage":1,"bounds":[[{"type":{"id":7},"ft":"NaN"}]],"inputs":{"0":[{"url":"s3://b/k","bytes":[1,2]}]}}`))
	fz.Fuzz(func(t *testing.T, data []byte) {
		var spec task.Spec
		if json.Unmarshal(data, &spec) != nil {
			return
		}
		once, err := json.Marshal(&spec)
		if err != nil {
			return // e.g. a float that JSON cannot carry
		}
		var again task.Spec
		if err := json.Unmarshal(once, &again); err != nil {
			t.Fatalf("a spec's own encoding does not decode: %v\n%s", err, once)
		}
		twice, err := json.Marshal(&again)
		if err != nil || !bytes.Equal(once, twice) {
			t.Fatalf("the spec changed on a round trip (%v):\n%s\n%s", err, once, twice)
		}
	})
}

// sampleSpec is a scan with a filter writing a range exchange: most of the
// wire types appear in it.
func sampleSpec() *task.Spec {
	schema := types.NewSchema(types.Field{Name: "x", Type: types.Int64Type, Nullable: true},
		types.Field{Name: "s", Type: types.StringType})
	x := expr.BoundCol(0, schema.Fields[0])
	filter := expr.Call(">", x, expr.Lit(types.Value{Type: types.Int64Type, I: 3}))
	scan := &physical.Node{Op: physical.OpScan, Schema: schema, Scan: &physical.ScanSpec{
		Format: "csv", Table: schema, Splits: []format.Split{{URL: "s3://b/in.csv", Size: 10}},
	}}
	return &task.Spec{
		ID: task.ID{Stage: 2, Partition: 1}, Job: "j", Run: "r",
		Fragment:   &physical.Node{Op: physical.OpFilter, Schema: schema, Inputs: []*physical.Node{scan}, Filter: filter},
		Output:     &physical.ExchangeSpec{Kind: physical.PartHash, Keys: []*expr.Expr{x}, Partitions: 4},
		Bounds:     [][]types.Value{{{Type: types.Float64Type, F: 1.5}}, {{Type: types.StringType, S: "é"}}},
		Inputs:     map[int][]task.MapOutput{1: {{URL: "s3://b/shuffle/m0", Bytes: []int64{1, 2}}}},
		ShuffleDir: "s3://b/shuffle", BatchRows: 1024,
	}
}
