package eval

import (
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

func TestDateFunctions(t *testing.T) {
	f := fixture{
		types: []types.Type{dateT, tsT, i64T},
		rows: [][]any{
			{"2024-02-29", "2020-01-05", "1969-12-31", nil, "0001-01-01"},
			{"2024-02-29 13:45:12.5", "2020-01-05 00:00:00", "1969-12-31 23:59:59.5", nil, "2000-12-31 23:00:00"},
			{1, -5, 366, 1, nil},
		},
	}
	d, ts, k := bcol(0, dateT), bcol(1, tsT), bcol(2, i64T)
	trunc := func(unit string, x *expr.Expr) *expr.Expr { return fn(expr.FnDateTrunc, x.Type, lstr(unit), x) }
	dates := func(ss ...string) []string {
		out := make([]string, len(ss))
		for i, s := range ss {
			out[i] = "NULL"
			if s != "" {
				out[i] = "DATE '" + s + "'"
			}
		}
		return out
	}
	stamps := func(ss ...string) []string {
		out := make([]string, len(ss))
		for i, s := range ss {
			out[i] = "NULL"
			if s != "" {
				out[i] = "TIMESTAMP '" + s + "'"
			}
		}
		return out
	}
	runCases(t, f, []evalCase{
		{"year", fn(expr.FnYear, i32T, d), []string{"2024", "2020", "1969", "NULL", "1"}, ""},
		{"month", fn(expr.FnMonth, i32T, d), []string{"2", "1", "12", "NULL", "1"}, ""},
		{"day", fn(expr.FnDay, i32T, d), []string{"29", "5", "31", "NULL", "1"}, ""},
		{"day_of_week", fn(expr.FnDayOfWeek, i32T, d), []string{"5", "1", "4", "NULL", "2"}, ""},
		{"hour of date", fn(expr.FnHour, i32T, d), []string{"0", "0", "0", "NULL", "0"}, ""},
		{"year of ts", fn(expr.FnYear, i32T, ts), []string{"2024", "2020", "1969", "NULL", "2000"}, ""},
		{"hour of ts", fn(expr.FnHour, i32T, ts), []string{"13", "0", "23", "NULL", "23"}, ""},
		{"day_of_week of ts", fn(expr.FnDayOfWeek, i32T, ts), []string{"5", "1", "4", "NULL", "1"}, ""},
		{"trunc year", trunc("year", d), dates("2024-01-01", "2020-01-01", "1969-01-01", "", "0001-01-01"), ""},
		{"trunc quarter", trunc("QUARTER", d), dates("2024-01-01", "2020-01-01", "1969-10-01", "", "0001-01-01"), ""},
		{"trunc month", trunc("month", d), dates("2024-02-01", "2020-01-01", "1969-12-01", "", "0001-01-01"), ""},
		{"trunc week (Monday)", trunc("week", d), dates("2024-02-26", "2019-12-30", "1969-12-29", "", "0001-01-01"), ""},
		{"trunc day of date", trunc("day", d), dates("2024-02-29", "2020-01-05", "1969-12-31", "", "0001-01-01"), ""},
		{"trunc hour ts", trunc("hour", ts), stamps("2024-02-29 13:00:00", "2020-01-05 00:00:00", "1969-12-31 23:00:00", "", "2000-12-31 23:00:00"), ""},
		{"trunc day ts", trunc("day", ts), stamps("2024-02-29 00:00:00", "2020-01-05 00:00:00", "1969-12-31 00:00:00", "", "2000-12-31 00:00:00"), ""},
		{"trunc week ts", trunc("week", ts), stamps("2024-02-26 00:00:00", "2019-12-30 00:00:00", "1969-12-29 00:00:00", "", "2000-12-25 00:00:00"), ""},
		{"trunc quarter ts", trunc("quarter", ts), stamps("2024-01-01 00:00:00", "2020-01-01 00:00:00", "1969-10-01 00:00:00", "", "2000-10-01 00:00:00"), ""},
		{"date_add", fn(expr.FnDateAdd, dateT, d, k), dates("2024-03-01", "2019-12-31", "1971-01-01", "", ""), ""},
		{"date_add const", fn(expr.FnDateAdd, dateT, d, li64(-1)), dates("2024-02-28", "2020-01-04", "1969-12-30", "", "0000-12-31"), ""},
		{"date_diff", fn(expr.FnDateDiff, i64T, d, ldate("2020-01-01")), []string{"1520", "4", "-18263", "NULL", "-737424"}, ""},
		{"date_add overflow", fn(expr.FnDateAdd, dateT, d, li64(1<<40)), nil, "date date_add out of range"},
	})
	if _, err := Compile(trunc("fortnight", d), Options{}); err == nil {
		t.Error("unknown unit compiled")
	}
}
