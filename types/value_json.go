package types

import (
	"encoding/json"
	"math"
)

// valueJSON is Value's wire form. JSON has no NaN or infinities, which
// float columns can hold (and range bounds or samples then carry), so F
// travels as a string when it is not finite.
type valueJSON struct {
	Type  Type    `json:"type"`
	Null  bool    `json:"null,omitempty"`
	B     bool    `json:"b,omitempty"`
	I     int64   `json:"i,omitempty"`
	F     float64 `json:"f,omitempty"`
	FText string  `json:"ft,omitempty"`
	S     string  `json:"s,omitempty"`
	Hi    int64   `json:"hi,omitempty"`
	Lo    uint64  `json:"lo,omitempty"`
}

// MarshalJSON encodes v, non-finite floats included.
func (v Value) MarshalJSON() ([]byte, error) {
	w := valueJSON{Type: v.Type, Null: v.Null, B: v.B, I: v.I, F: v.F, S: v.S, Hi: v.Hi, Lo: v.Lo}
	switch {
	case math.IsNaN(v.F):
		w.F, w.FText = 0, "NaN"
	case math.IsInf(v.F, 1):
		w.F, w.FText = 0, "+Inf"
	case math.IsInf(v.F, -1):
		w.F, w.FText = 0, "-Inf"
	}
	return json.Marshal(w)
}

// UnmarshalJSON decodes what MarshalJSON wrote.
func (v *Value) UnmarshalJSON(b []byte) error {
	var w valueJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*v = Value{Type: w.Type, Null: w.Null, B: w.B, I: w.I, F: w.F, S: w.S, Hi: w.Hi, Lo: w.Lo}
	switch w.FText {
	case "NaN":
		v.F = math.NaN()
	case "+Inf":
		v.F = math.Inf(1)
	case "-Inf":
		v.F = math.Inf(-1)
	}
	return nil
}
