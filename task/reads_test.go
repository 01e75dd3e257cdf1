package task

import (
	"encoding/json"
	"testing"
)

// Read ranges travel to remote executors in the spec's JSON; a spec
// without them (an older driver's) decodes to the default reads.
func TestSpecReadsJSON(t *testing.T) {
	in := Spec{ID: ID{Stage: 3, Partition: 1}, Reads: Reads{2: {PartStart: 4, PartEnd: 9, MapStart: 1, MapEnd: 3}}}
	b, err := json.Marshal(&in)
	if err != nil {
		t.Fatal(err)
	}
	var out Spec
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out.Reads[2] != in.Reads[2] {
		t.Fatalf("reads after JSON: %+v, want %+v", out.Reads, in.Reads)
	}
	var old Spec
	if err := json.Unmarshal([]byte(`{"stage":1,"partition":2,"attempt":0,"job":"j","run":"r","fragment":null,"shuffle_dir":""}`), &old); err != nil {
		t.Fatal(err)
	}
	if old.Reads != nil {
		t.Fatalf("a spec without reads decoded to %+v", old.Reads)
	}
}
