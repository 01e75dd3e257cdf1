package textcol

import (
	"errors"
	"testing"

	"github.com/drover-etl/drover/types"
)

func TestParseInt64(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true}, {"-12", -12, true}, {"+7", 7, true},
		{"9223372036854775807", 9223372036854775807, true},
		{"-9223372036854775808", -9223372036854775808, true},
		{"9223372036854775808", 0, false}, {"0000000000000000000000042", 42, true},
		{"", 0, false}, {"-", 0, false}, {"12x", 0, false}, {"1.0", 0, false},
	}
	for _, tc := range tests {
		got, ok := ParseInt64([]byte(tc.in))
		if ok != tc.ok || got != tc.want {
			t.Errorf("ParseInt64(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestParseDecimal(t *testing.T) {
	tests := []struct {
		in         string
		prec, scal int32
		want       string
		err        error
	}{
		{"12.34", 10, 2, "12.34", nil},
		{"-0.5", 10, 2, "-0.50", nil},
		{".5", 3, 1, "0.5", nil},
		{"7", 5, 3, "7.000", nil},
		{"1.005", 10, 2, "1.01", nil},   // half away from zero
		{"-1.005", 10, 2, "-1.01", nil}, // half away from zero
		{"1.004999", 10, 2, "1.00", nil},
		{"99.995", 4, 2, "", ErrOverflow}, // rounds to 100.00
		{"12345678901234567890.123456789012345678", 38, 18, "12345678901234567890.123456789012345678", nil},
		{"1.5e2", 10, 2, "150.00", nil},
		{"-2.5E-1", 10, 2, "-0.25", nil},
		{"123", 2, 0, "", ErrOverflow},
		{"1.2.3", 10, 2, "", ErrSyntax},
		{"abc", 10, 2, "", ErrSyntax},
		{"", 10, 2, "", ErrSyntax},
		{"1e", 10, 2, "", ErrSyntax},
	}
	for _, tc := range tests {
		n, err := ParseDecimal([]byte(tc.in), tc.prec, tc.scal)
		if !errors.Is(err, tc.err) {
			t.Errorf("ParseDecimal(%q) error %v, want %v", tc.in, err, tc.err)
			continue
		}
		if err == nil {
			if got := string(AppendDecimal(nil, n, tc.scal)); got != tc.want {
				t.Errorf("ParseDecimal(%q) = %s, want %s", tc.in, got, tc.want)
			}
		}
	}
}

func TestParseTimestamp(t *testing.T) {
	tests := []struct {
		in   string
		want string // as rendered by AppendTimestamp; "" means invalid
	}{
		{"2024-02-29", "2024-02-29 00:00:00"},
		{"2024-02-29 13:14:15", "2024-02-29 13:14:15"},
		{"2024-02-29T13:14:15.123456789Z", "2024-02-29 13:14:15.123456"},
		{"2024-02-29T13:14:15.5+02:00", "2024-02-29 11:14:15.5"},
		{"2024-02-29 13:14-0130", "2024-02-29 14:44:00"},
		{"1969-12-31 23:59:59.999999", "1969-12-31 23:59:59.999999"},
		{"0001-01-01 00:00:00", "0001-01-01 00:00:00"},
		{"2023-02-29", ""}, {"2024-13-01", ""}, {"2024-01-01 25:00", ""}, {"yesterday", ""},
	}
	for _, tc := range tests {
		us, ok := ParseTimestamp([]byte(tc.in))
		if ok != (tc.want != "") {
			t.Errorf("ParseTimestamp(%q) ok = %v", tc.in, ok)
			continue
		}
		if !ok {
			continue
		}
		if got := string(AppendTimestamp(nil, us)); got != tc.want {
			t.Errorf("ParseTimestamp(%q) = %s, want %s", tc.in, got, tc.want)
		}
		if ref, err := types.ParseTimestamp(tc.in); err == nil && ref != us {
			t.Errorf("ParseTimestamp(%q) = %d, types.ParseTimestamp = %d", tc.in, us, ref)
		}
	}
}

func TestDateRoundTrip(t *testing.T) {
	for _, s := range []string{"1970-01-01", "2000-02-29", "1900-03-01", "0001-01-01", "9999-12-31", "1969-07-20"} {
		d, ok := ParseDate([]byte(s))
		if !ok {
			t.Fatalf("ParseDate(%q) failed", s)
		}
		ref, _ := types.ParseDate(s)
		if d != ref {
			t.Errorf("ParseDate(%q) = %d, want %d", s, d, ref)
		}
		if got := string(AppendDate(nil, int64(d))); got != s {
			t.Errorf("AppendDate(%d) = %s, want %s", d, got, s)
		}
	}
}

func TestInferrer(t *testing.T) {
	tests := []struct {
		values []string
		want   types.Type
	}{
		{nil, types.StringType},
		{[]string{"true", "FALSE"}, types.BoolType},
		{[]string{"1", "0"}, types.Int64Type},
		{[]string{"1", "2.5"}, types.Float64Type},
		{[]string{"1", "1e3", " -4 "}, types.Float64Type},
		{[]string{"2024-01-01", "2024-01-02"}, types.DateType},
		{[]string{"2024-01-01", "2024-01-02 10:00:00"}, types.TimestampType},
		{[]string{"1", "x"}, types.StringType},
		{[]string{"NaN", "Inf"}, types.StringType},
		{[]string{"true", "1"}, types.StringType},
	}
	for _, tc := range tests {
		in := NewInferrer(Options{})
		for _, v := range tc.values {
			in.Observe([]byte(v))
		}
		if got := in.Type(); got != tc.want {
			t.Errorf("infer %q = %s, want %s", tc.values, got, tc.want)
		}
	}
}

func TestAppendFloat(t *testing.T) {
	for in, want := range map[float64]string{1: "1.0", -2: "-2.0", 0.1: "0.1", 1e21: "1e+21", 1.5: "1.5"} {
		if got := string(AppendFloat(nil, in, 64)); got != want {
			t.Errorf("AppendFloat(%v) = %s, want %s", in, got, want)
		}
	}
}
