package types

import (
	"encoding/json"
	"math"
	"testing"
)

func TestValueJSONRoundTripsNonFiniteFloats(t *testing.T) {
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, -1.5, math.MaxFloat64} {
		b, err := json.Marshal(Float64Value(f))
		if err != nil {
			t.Fatalf("%v: %v", f, err)
		}
		var v Value
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		if !(v.F == f || math.IsNaN(f) && math.IsNaN(v.F)) || v.Type != Float64Type {
			t.Fatalf("%v came back as %+v", f, v)
		}
	}
	d, _ := ParseDecimal("-12.340")
	b, _ := json.Marshal(d)
	var back Value
	json.Unmarshal(b, &back)
	if back != d {
		t.Fatalf("decimal %v came back as %v", d, back)
	}
}
