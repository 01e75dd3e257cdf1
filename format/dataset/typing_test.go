package dataset

import (
	"errors"
	"testing"

	"github.com/drover-etl/drover/types"
)

func segs(values ...string) []segment {
	out := make([]segment, len(values))
	for i, v := range values {
		out[i] = segment{key: "k", value: v, null: v == HiveNull}
	}
	return out
}

func TestInferType(t *testing.T) {
	tests := []struct {
		name   string
		values []string
		want   types.Type
	}{
		{"integers", []string{"1", "-20", "300"}, types.Int64Type},
		{"integers and null", []string{"1", HiveNull}, types.Int64Type},
		{"leading zero stays text", []string{"007", "12"}, types.StringType},
		{"zero", []string{"0", "-0"}, types.Int64Type},
		{"floats", []string{"1.5", "2", "1e3", "NaN"}, types.Float64Type},
		{"decimals read as double", []string{"1.50", "2.00"}, types.Float64Type},
		{"dates", []string{"2026-11-20", "2026-01-01"}, types.DateType},
		{"timestamps", []string{"2026-11-20 10:00:00", "2026-11-20"}, types.TimestampType},
		{"strings", []string{"eu", "1"}, types.StringType},
		{"empty string", []string{"", "1"}, types.StringType},
		{"only nulls", []string{HiveNull}, types.StringType},
		{"too big for int64", []string{"99999999999999999999"}, types.Float64Type},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := inferType(segs(tt.values...)); got != tt.want {
				t.Errorf("inferType(%q) = %s, want %s", tt.values, got, tt.want)
			}
		})
	}
}

func TestConvert(t *testing.T) {
	tests := []struct {
		value string
		t     types.Type
		want  string // Value.String(); "" for an error
	}{
		{"42", types.Int64Type, "42"},
		{"42", types.Int32Type, "42"},
		{"2026-11-20", types.DateType, "DATE '2026-11-20'"},
		{"2026-11-20 10:11:12.5", types.TimestampType, "TIMESTAMP '2026-11-20 10:11:12.5'"},
		{"12.50", types.DecimalOf(9, 2), "12.50"},
		{"-0.07", types.DecimalOf(9, 2), "-0.07"},
		{"1.5", types.Float64Type, "1.5"},
		{"a/b", types.StringType, `"a/b"`},
		{"", types.StringType, `""`},
		{HiveNull, types.DateType, "NULL"},
		{"eu", types.Int64Type, ""},
		{"", types.Int64Type, ""},
		{"2026-13-40", types.DateType, ""},
	}
	for _, tt := range tests {
		v, err := convert(segment{key: "k", value: tt.value, null: tt.value == HiveNull}, tt.t)
		switch {
		case tt.want == "" && err == nil:
			t.Errorf("convert(%q, %s) = %s, want an error", tt.value, tt.t, v)
		case tt.want == "" && !errors.Is(err, ErrPartitionValue):
			t.Errorf("convert(%q, %s): error %v is not ErrPartitionValue", tt.value, tt.t, err)
		case tt.want != "" && err != nil:
			t.Errorf("convert(%q, %s): %v", tt.value, tt.t, err)
		case tt.want != "" && (v.String() != tt.want || v.Type != tt.t):
			t.Errorf("convert(%q, %s) = %s (%s), want %s", tt.value, tt.t, v, v.Type, tt.want)
		}
	}
}
