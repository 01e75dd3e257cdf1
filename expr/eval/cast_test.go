package eval

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

func cast(e *expr.Expr, t types.Type) *expr.Expr {
	c := expr.Cast(e, t)
	c.Nullable = true
	return c
}

func TestCastNumeric(t *testing.T) {
	d52 := types.DecimalOf(5, 2)
	f := fixture{
		types: []types.Type{f64T, i64T, d52, boolT},
		rows: [][]any{
			{2.5, 3.5, -2.5, 0.1, nil},
			{1, -40, 0, 3000000000, nil},
			{"1.50", "-2.50", "0.49", "999.99", nil},
			{true, false, true, false, nil},
		},
	}
	fl, in, dc, bo := bcol(0, f64T), bcol(1, i64T), bcol(2, d52), bcol(3, boolT)
	runCases(t, f, []evalCase{
		{"float→int64 half even", cast(fl, i64T), []string{"2", "4", "-2", "0", "NULL"}, ""},
		{"float→int32", cast(fl, i32T), []string{"2", "4", "-2", "0", "NULL"}, ""},
		{"float→decimal via shortest text", cast(fl, types.DecimalOf(10, 2)), []string{"2.50", "3.50", "-2.50", "0.10", "NULL"}, ""},
		{"float→float32", cast(fl, f32T), []string{"2.5", "3.5", "-2.5", "0.10000000149011612", "NULL"}, ""},
		{"int64→int32 overflow", cast(in, i32T), nil, "cannot cast 3000000000 to int32: out of range"},
		{"int64→float", cast(in, f64T), []string{"1", "-40", "0", "3e+09", "NULL"}, ""},
		{"int64→decimal", cast(in, types.DecimalOf(12, 2)), []string{"1.00", "-40.00", "0.00", "3000000000.00", "NULL"}, ""},
		{"int64→decimal overflow", cast(in, types.DecimalOf(5, 2)), nil, "cannot cast 3000000000 to decimal(5,2): out of range"},
		{"int→bool", cast(in, boolT), []string{"true", "true", "false", "true", "NULL"}, ""},
		{"decimal→int half away", cast(dc, i64T), []string{"2", "-3", "0", "1000", "NULL"}, ""},
		{"decimal→float", cast(dc, f64T), []string{"1.5", "-2.5", "0.49", "999.99", "NULL"}, ""},
		{"decimal→smaller scale rounds", cast(dc, types.DecimalOf(5, 1)), []string{"1.5", "-2.5", "0.5", "1000.0", "NULL"}, ""},
		{"decimal→narrower overflows", cast(dc, types.DecimalOf(4, 2)), nil, "cannot cast 999.99 to decimal(4,2)"},
		{"decimal→wider scale", cast(dc, types.DecimalOf(8, 4)), []string{"1.5000", "-2.5000", "0.4900", "999.9900", "NULL"}, ""},
		{"bool→int", cast(bo, i32T), []string{"1", "0", "1", "0", "NULL"}, ""},
		{"bool→decimal", cast(bo, d52), []string{"1.00", "0.00", "1.00", "0.00", "NULL"}, ""},
		{"int32→int64", cast(cast(in, i32T), i64T), nil, "out of range"},
	})
}

func TestCastFloatEdges(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		to   types.Type
		want string
	}{
		{math.NaN(), i64T, "cannot cast NaN to int64"},
		{math.Inf(1), i32T, "cannot cast Infinity to int32"},
		{9.3e18, i64T, "cannot cast 9.3e+18 to int64"},
		{math.Inf(-1), types.DecimalOf(10, 2), "cannot cast -Infinity to decimal"},
		{1e300, f32T, "cannot cast 1e+300 to float32"},
	} {
		_, err := evalOne(t, cast(lf64(tc.v), tc.to))
		if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, ErrCast) {
			t.Errorf("cast(%v as %s): got %v, want %q", tc.v, tc.to, err, tc.want)
		}
	}
}

func TestCastToString(t *testing.T) {
	f := fixture{
		types: []types.Type{f64T, types.DecimalOf(6, 3), dateT, tsT, boolT, i32T},
		rows: [][]any{
			{0.1, 1e20, 1234567.0, 1e-5, nil},
			{"-0.050", "12.000", "0", "999.999", nil},
			{"2020-01-05", "1969-12-31", "0001-01-01", "9999-12-31", nil},
			{"2020-01-05 10:11:12.5", "1969-12-31 23:59:59.999999", "2020-01-05", "2000-02-29 00:00:01.000010", nil},
			{true, false, true, false, nil},
			{-5, 0, 42, 2147483647, nil},
		},
	}
	runCases(t, f, []evalCase{
		{"float", cast(bcol(0, f64T), strT), []string{`"0.1"`, `"1e+20"`, `"1234567"`, `"1e-05"`, "NULL"}, ""},
		{"decimal keeps scale", cast(bcol(1, types.DecimalOf(6, 3)), strT), []string{`"-0.050"`, `"12.000"`, `"0.000"`, `"999.999"`, "NULL"}, ""},
		{"date", cast(bcol(2, dateT), strT), []string{`"2020-01-05"`, `"1969-12-31"`, `"0001-01-01"`, `"9999-12-31"`, "NULL"}, ""},
		{"timestamp", cast(bcol(3, tsT), strT),
			[]string{`"2020-01-05 10:11:12.5"`, `"1969-12-31 23:59:59.999999"`, `"2020-01-05 00:00:00"`, `"2000-02-29 00:00:01.00001"`, "NULL"}, ""},
		{"bool", cast(bcol(4, boolT), strT), []string{`"true"`, `"false"`, `"true"`, `"false"`, "NULL"}, ""},
		{"int", cast(bcol(5, i32T), strT), []string{`"-5"`, `"0"`, `"42"`, `"2147483647"`, "NULL"}, ""},
	})
}

func TestFormatMatchesTypes(t *testing.T) {
	for _, us := range []int64{0, -1, 1, 86_400_000_000 - 1, -86_400_000_000, 1_700_000_000_123_456, -62_135_596_800_000_000} {
		if got, want := string(appendTimestamp(nil, us)), types.FormatTimestamp(us); got != want {
			t.Errorf("appendTimestamp(%d) = %s, want %s", us, got, want)
		}
		days := floorDiv(us, usPerDay)
		if got, want := string(appendDate(nil, days)), types.FormatDate(int32(days)); got != want {
			t.Errorf("appendDate(%d) = %s, want %s", days, got, want)
		}
	}
	for y := int64(-400); y <= 2400; y += 7 {
		for m := 1; m <= 12; m++ {
			d := daysFromCivil(y, m, daysIn(y, m))
			if gy, gm, gd := civil(d); gy != y || gm != m || gd != daysIn(y, m) {
				t.Fatalf("civil(daysFromCivil(%d-%d)) = %d-%d-%d", y, m, gy, gm, gd)
			}
		}
	}
}

func TestCastFromString(t *testing.T) {
	f := fixture{
		types: []types.Type{strT},
		rows:  [][]any{{" 12 ", "-3", nil, "+7"}},
	}
	s := bcol(0, strT)
	runCases(t, f, []evalCase{
		{"int64", cast(s, i64T), []string{"12", "-3", "NULL", "7"}, ""},
		{"int32", cast(s, i32T), []string{"12", "-3", "NULL", "7"}, ""},
		{"float", cast(s, f64T), []string{"12", "-3", "NULL", "7"}, ""},
		{"decimal", cast(s, types.DecimalOf(5, 1)), []string{"12.0", "-3.0", "NULL", "7.0"}, ""},
		{"bool fails", cast(s, boolT), nil, `cannot cast " 12 " to bool`},
		{"date fails", cast(s, dateT), nil, `cannot cast " 12 " to date`},
	})
	g := fixture{
		types: []types.Type{strT},
		rows:  [][]any{{"2020-02-29", " 1999-1-5 ", "2020-02-29T10:30:00Z", nil, "2021-03-04 05:06:07.123456789"}},
	}
	s = bcol(0, strT)
	runCases(t, g, []evalCase{
		{"date", cast(s, dateT), []string{"DATE '2020-02-29'", "DATE '1999-01-05'", "DATE '2020-02-29'", "NULL", "DATE '2021-03-04'"}, ""},
		{"timestamp", cast(s, tsT), []string{"TIMESTAMP '2020-02-29 00:00:00'", "TIMESTAMP '1999-01-05 00:00:00'",
			"TIMESTAMP '2020-02-29 10:30:00'", "NULL", "TIMESTAMP '2021-03-04 05:06:07.123456'"}, ""},
		{"int fails with quoted value", cast(s, i64T), nil, `cannot cast "2020-02-29" to int64`},
	})
}

func TestCastStringFailures(t *testing.T) {
	for _, tc := range []struct {
		s    string
		to   types.Type
		want string
	}{
		{"12x", i64T, `cannot cast "12x" to int64`},
		{"99999999999", i32T, `cannot cast "99999999999" to int32`},
		{"1.5", i64T, `cannot cast "1.5" to int64`},
		{"abc", f64T, `cannot cast "abc" to float64`},
		{"1.2.3", types.DecimalOf(10, 2), `cannot cast "1.2.3" to decimal(10,2)`},
		{"12345", types.DecimalOf(4, 0), `cannot cast "12345" to decimal(4,0): out of range`},
		{"maybe", boolT, `cannot cast "maybe" to bool`},
		{"2021-02-29", dateT, `cannot cast "2021-02-29" to date`},
		{"2021-13-01", dateT, `cannot cast "2021-13-01" to date`},
		{"2021-01-01 25:00", tsT, `cannot cast "2021-01-01 25:00" to timestamp`},
	} {
		_, err := evalOne(t, cast(lstr(tc.s), tc.to))
		if err == nil || err.Error() != tc.want || !errors.Is(err, ErrCast) {
			t.Errorf("cast(%q as %s): got %v, want %q", tc.s, tc.to, err, tc.want)
		}
	}
	for _, tc := range []struct{ s, want string }{
		{" TRUE", "true"}, {"f", "false"}, {"Yes", "true"}, {"off", "false"}, {"1", "true"},
		{"NaN", "NaN"}, {"-Infinity", "-Inf"},
	} {
		to := boolT
		if tc.want == "NaN" || tc.want == "-Inf" {
			to = f64T
		}
		got, err := evalOne(t, cast(lstr(tc.s), to))
		if err != nil || got != tc.want {
			t.Errorf("cast(%q as %s) = %s, %v", tc.s, to, got, err)
		}
	}
}

func TestCastTemporal(t *testing.T) {
	f := fixture{
		types: []types.Type{dateT, tsT},
		rows:  [][]any{{"2020-01-05", "1969-12-31", nil}, {"2020-01-05 23:59:59", "1969-12-31 00:00:01", "1969-12-31 23:59:59.999999"}},
	}
	runCases(t, f, []evalCase{
		{"date→timestamp", cast(bcol(0, dateT), tsT), []string{"TIMESTAMP '2020-01-05 00:00:00'", "TIMESTAMP '1969-12-31 00:00:00'", "NULL"}, ""},
		{"timestamp→date truncates", cast(bcol(1, tsT), dateT), []string{"DATE '2020-01-05'", "DATE '1969-12-31'", "DATE '1969-12-31'"}, ""},
	})
	if _, err := Compile(cast(bcol(0, dateT), i64T), Options{}); err == nil {
		t.Error("date → int64 compiled")
	}
}

func TestCastDictionaryUnusedValue(t *testing.T) {
	// The fixture's dictionaries carry an unused "\x00unused-12x" value; the
	// cast runs over the dictionary first and must not report it.
	f := fixture{types: []types.Type{strT}, rows: [][]any{{"1", "2", "1", "2", nil}}}
	runCases(t, f, []evalCase{
		{"cast", cast(bcol(0, strT), i64T), []string{"1", "2", "1", "2", "NULL"}, ""},
	})
}
