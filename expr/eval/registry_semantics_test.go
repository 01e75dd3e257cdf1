package eval

import (
	"strings"
	"testing"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// oneCase is a column-free call checked against a DuckDB (or, where the
// registry says so, Spark) answer worked out by hand.
type oneCase struct {
	e    *expr.Expr // unbound; bound with an empty schema
	want string     // rendered value, or an error substring after "error: "
}

func call(name string, args ...*expr.Expr) *expr.Expr { return expr.Call(name, args...) }

func runOneCases(t *testing.T, cases []oneCase) {
	t.Helper()
	for _, tc := range cases {
		b, err := expr.Bind(tc.e, &types.Schema{}, nil)
		if err != nil {
			t.Errorf("bind %s: %v", tc.e, err)
			continue
		}
		got, err := evalOne(t, b)
		if want, ok := strings.CutPrefix(tc.want, "error: "); ok {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: got %s, %v; want error %q", tc.e, got, err, want)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s = %s, %v; want %s", tc.e, got, err, tc.want)
		}
	}
}

func TestMathSemantics(t *testing.T) {
	runOneCases(t, []oneCase{
		{call(expr.FnLog, lf64(100)), "2"},
		{call(expr.FnLog, li64(2), li64(8)), "3"},
		{call(expr.FnLn, li64(0)), "error: logarithm of zero"},
		{call(expr.FnLog10, lf64(-1)), "error: logarithm of a negative"},
		{call(expr.FnSqrt, li64(-1)), "error: square root of a negative"},
		{call(expr.FnSqrt, li64(16)), "4"},
		{call(expr.FnCbrt, li64(27)), "3"},
		{call(expr.FnPower, li64(2), li64(10)), "1024"},
		{call(expr.FnAtan2, li64(1), li64(1)), "0.7853981633974483"},
		{call(expr.FnDegrees, call(expr.FnPi)), "180"},
		{call(expr.FnAcos, li64(2)), "error: outside [-1, 1]"},
		{call(expr.FnSign, lf64(-2.5)), "-1"},
		{call(expr.FnSign, ldec("0.00", 3, 2)), "0"},
		{call(expr.FnFloor, ldec("12.345", 5, 3), li64(2)), "12.34"},
		{call(expr.FnCeil, ldec("-12.345", 5, 3), li64(1)), "-12.3"},
		{call(expr.FnTrunc, ldec("-12.345", 5, 3), li64(2)), "-12.34"},
		{call(expr.FnTrunc, lf64(-12.345), li64(1)), "-12.3"},
		{call(expr.FnTrunc, lf64(-2.7)), "-2"},
		{call(expr.FnTrunc, li64(7)), "7"},
		{call(expr.FnRound, ldec("2.5", 2, 1)), "3"},
		{call(expr.FnRound, ldec("-2.5", 2, 1)), "-3"},
		{call(expr.FnRound, lf64(-2.5)), "-3"},
		{call(expr.FnRound, ldec("12.345", 5, 3), li64(-1)), "10"},
		{call(expr.FnRound, ldec("9.96", 3, 2), li64(1)), "10.0"},
		{call(expr.FnCeil, ldec("99.01", 4, 2)), "100"},
		{call(expr.FnRound, ldec("12.345", 5, 3), li64(5)), "12.345"},
		{call(expr.FnGreatest, li64(1), lnull(i64T), li64(3)), "3"},
		{call(expr.FnLeast, lstr("b"), lstr("a"), lnull(strT)), `"a"`},
		{call(expr.FnGreatest, lnull(i64T), lnull(i64T)), "NULL"},
		{call(expr.FnGreatest, li64(1), lf64(2.5)), "2.5"},
		{call(expr.FnMod, li64(-7), li64(3)), "-1"},
		{call(expr.FnIsNaN, call(expr.FnDiv, lf64(0), lf64(0))), "true"}, // IEEE, as DuckDB
		{call(expr.FnIsInf, call(expr.FnPower, li64(10), li64(400))), "true"},
		{call(expr.FnIsFinite, lf64(1.5)), "true"},
	})
}

func TestConditionalSemantics(t *testing.T) {
	runOneCases(t, []oneCase{
		{call(expr.FnIf, lbool(true), li64(1), li64(2)), "1"},
		{call(expr.FnIf, lnull(types.BoolType), li64(1), li64(2)), "2"},
		{call(expr.FnNvl2, lnull(i64T), lstr("a"), lstr("b")), `"b"`},
		{call(expr.FnNvl2, li64(0), lstr("a"), lstr("b")), `"a"`},
		{call(expr.FnCoalesce, lnull(i64T), li64(4)), "4"},
	})
}

func TestDateSemantics(t *testing.T) {
	d := func(s string) *expr.Expr { return ldate(s) }
	ts := func(s string) *expr.Expr { return lts(s) }
	runOneCases(t, []oneCase{
		{call(expr.FnDatePart, lstr("dow"), d("2024-01-07")), "0"},
		{call(expr.FnDatePart, lstr("isodow"), d("2024-01-07")), "7"},
		{call(expr.FnDatePart, lstr("week"), d("2021-01-01")), "53"},
		{call(expr.FnDatePart, lstr("isoyear"), d("2021-01-01")), "2020"},
		{call(expr.FnDatePart, lstr("doy"), d("2024-12-31")), "366"},
		{call(expr.FnDatePart, lstr("quarter"), d("2024-05-01")), "2"},
		{call(expr.FnDatePart, lstr("century"), d("2000-06-01")), "20"},
		{call(expr.FnDatePart, lstr("century"), d("2001-01-01")), "21"},
		{call(expr.FnDatePart, lstr("decade"), d("1992-03-07")), "199"},
		{call(expr.FnDatePart, lstr("millisecond"), ts("2024-01-01 10:11:12.345")), "12345"},
		{call(expr.FnDatePart, lstr("epoch"), ts("1970-01-02 00:00:01.5")), "86401.5"},
		{call(expr.FnDatePart, lstr("Years"), d("1999-01-01")), "1999"},
		{call(expr.FnQuarter, d("2024-12-31")), "4"},
		{call(expr.FnWeekOfYear, d("2024-12-30")), "1"},
		{call(expr.FnDayOfYear, d("2023-03-01")), "60"},
		{call(expr.FnSecond, ts("2024-01-01 10:11:12.9")), "12"},
		{call(expr.FnDateTrunc, lstr("week"), d("2024-01-07")), "DATE '2024-01-01'"},
		{call(expr.FnDateTrunc, lstr("decade"), d("1999-05-05")), "DATE '1990-01-01'"},
		{call(expr.FnDateTrunc, lstr("century"), d("1992-03-07")), "DATE '1900-01-01'"},
		{call(expr.FnDateTrunc, lstr("millisecond"), ts("2024-01-01 10:11:12.345678")), "TIMESTAMP '2024-01-01 10:11:12.345'"},
		{call(expr.FnDateDiff, lstr("month"), d("2020-01-31"), d("2020-02-01")), "1"},
		{call(expr.FnDateDiff, lstr("year"), d("2019-12-31"), d("2020-01-01")), "1"},
		{call(expr.FnDateDiff, lstr("week"), d("2024-01-07"), d("2024-01-08")), "1"},
		{call(expr.FnDateDiff, lstr("quarter"), d("2024-03-31"), d("2023-12-31")), "-1"},
		{call(expr.FnDateDiff, lstr("hour"), ts("2024-01-01 10:59:00"), d("2024-01-02")), "14"},
		{call(expr.FnDateDiff, d("2024-03-01"), d("2024-02-01")), "29"},
		{call(expr.FnDateDiff, lstr("century"), d("1999-12-31"), d("2000-01-01")), "1"},
		{call(expr.FnDateDiff, lstr("isoyear"), d("2021-01-03"), d("2021-01-04")), "1"},
		{call(expr.FnDateDiff, lstr("epoch"), ts("2024-01-01 00:00:00"), ts("2024-01-01 00:01:00.5")), "60"},
		{call(expr.FnAddInterval, d("2024-01-31"), li64(1), li64(0), li64(0)), "DATE '2024-02-29'"},
		{call(expr.FnAddInterval, d("2023-01-31"), li64(1), li64(0), li64(0)), "DATE '2023-02-28'"},
		{call(expr.FnAddInterval, d("2024-01-31"), li64(-13), li64(3), li64(0)), "DATE '2023-01-03'"},
		{call(expr.FnAddInterval, d("2024-01-31"), li64(1), li64(0), li64(3_600_000_000)), "TIMESTAMP '2024-02-29 01:00:00'"},
		{call(expr.FnAddInterval, ts("2024-03-31 12:00:00"), li64(-1), li64(1), li64(-1)), "TIMESTAMP '2024-03-01 11:59:59.999999'"},
		{call(expr.FnAddMonths, d("2024-01-31"), li64(1)), "DATE '2024-02-29'"},
		{call(expr.FnMonthsBetween, ts("1997-02-28 10:30:00"), d("1996-10-30")), "3.94959677"},
		{call(expr.FnMonthsBetween, d("2024-03-31"), d("2024-02-29")), "1"},
		{call(expr.FnLastDay, d("2024-02-10")), "DATE '2024-02-29'"},
		{call(expr.FnMakeDate, li64(2024), li64(2), li64(29)), "DATE '2024-02-29'"},
		{call(expr.FnMakeDate, li64(2023), li64(2), li64(29)), "error: not a valid date"},
		{call(expr.FnStrftime, ts("1992-03-02 20:32:45"), lstr("%A, %-d %B %Y - %I:%M:%S %p")), `"Monday, 2 March 1992 - 08:32:45 PM"`},
		{call(expr.FnStrftime, d("1992-01-05"), lstr("%Y/%m/%d %j %a %b")), `"1992/01/05 005 Sun Jan"`},
		{call(expr.FnDateFormat, ts("2016-04-08 13:05:09.123"), lstr("yyyy-MM-dd HH:mm:ss.SSS EEE 'at' h a")), `"2016-04-08 13:05:09.123 Fri at 1 PM"`},
		{call(expr.FnDateFormat, ts("2016-04-08 13:05:09"), lstr("yyyy Q")), "error: not supported"},
		{call(expr.FnStrptime, lstr("02/03/1992"), lstr("%d/%m/%Y")), "TIMESTAMP '1992-03-02 00:00:00'"},
		{call(expr.FnStrptime, lstr("1992-03-02 8:05:01.25 PM"), lstr("%Y-%m-%d %I:%M:%S.%f %p")), "TIMESTAMP '1992-03-02 20:05:01.25'"},
		{call(expr.FnStrptime, lstr("1992-02-30"), lstr("%Y-%m-%d")), "error: does not match"},
		{call(expr.FnToDate, lstr("31.12.2016"), lstr("dd.MM.yyyy")), "DATE '2016-12-31'"},
		{call(expr.FnToDate, lstr("2016-12-31")), "DATE '2016-12-31'"},
		{call(expr.FnToDate, lstr("not a date")), "NULL"},
		{call(expr.FnToTimestamp, lstr("2016-12-31 10:00")), "TIMESTAMP '2016-12-31 10:00:00'"},
		{call(expr.FnToTimestamp, lf64(1284352323.5)), "TIMESTAMP '2010-09-13 04:32:03.5'"},
		{call(expr.FnUnixTimestamp, lstr("2016-04-08"), lstr("yyyy-MM-dd")), "1460073600"},
		{call(expr.FnUnixTimestamp, ts("1969-12-31 23:59:59.5")), "-1"},
		{call(expr.FnFromUnixtime, li64(0)), `"1970-01-01 00:00:00"`},
		{call(expr.FnFromUnixtime, li64(1460073600), lstr("yyyy/MM/dd")), `"2016/04/08"`},
		{call(expr.FnDayName, d("2024-01-07")), `"Sunday"`},
		{call(expr.FnMonthName, ts("2024-02-29 10:00:00")), `"February"`},
		{call(expr.FnAdd, d("2024-02-28"), li64(2)), "DATE '2024-03-01'"},
		{call(expr.FnAdd, li32(1), d("2024-02-28")), "DATE '2024-02-29'"},
		{call(expr.FnSub, d("2024-03-01"), li64(1)), "DATE '2024-02-29'"},
		{call(expr.FnSub, d("2024-03-01"), d("2023-03-01")), "366"},
		{call(expr.FnDateSub, d("2024-03-01"), li64(1)), "DATE '2024-02-29'"},
	})
}

// TestDatePartColumns runs date_part over columns with NULLs, plain and
// as a timestamp, against the per-row fold.
func TestDatePartColumns(t *testing.T) {
	f := fixture{types: []types.Type{types.DateType, types.TimestampType},
		rows: [][]any{{"2024-01-07", nil, "1969-12-31"}, {"2024-01-07 23:59:59", "1900-03-01 00:00:00", nil}}}
	runSQLCases(t, f, []sqlCase{
		{"year of date", expr.FnDatePart, []*expr.Expr{lstr("year"), c(0)}, []string{"2024", "NULL", "1969"}, ""},
		{"dow of date", expr.FnDatePart, []*expr.Expr{lstr("dow"), c(0)}, []string{"0", "NULL", "3"}, ""},
		{"hour of timestamp", expr.FnDatePart, []*expr.Expr{lstr("hour"), c(1)}, []string{"23", "0", "NULL"}, ""},
		{"epoch of date", expr.FnDatePart, []*expr.Expr{lstr("epoch"), c(0)}, []string{"1.7045856e+09", "NULL", "-86400"}, ""},
		{"strftime column", expr.FnStrftime, []*expr.Expr{c(1), lstr("%d.%m.%y")}, q("07.01.24", "01.03.00", "NULL"), ""},
		{"add_interval column", expr.FnAddInterval, []*expr.Expr{c(0), li64(1), li64(1), li64(0)}, []string{"DATE '2024-02-08'", "NULL", "DATE '1970-02-01'"}, ""},
	})
}

func TestStringExtras(t *testing.T) {
	runOneCases(t, []oneCase{
		{call(expr.FnOctetLength, lstr("héllo")), "6"},
		{call(expr.FnBitLength, lstr("ab")), "16"},
		{call(expr.FnToBase64, lstr("Spark SQL")), `"U3BhcmsgU1FM"`},
		{call(expr.FnFromBase64, lstr("U3BhcmsgU1FM")), `"Spark SQL"`},
		{call(expr.FnFromBase64, lstr("!!")), "error: from_base64"},
		{call(expr.FnHex, lstr("Spark")), `"537061726B"`},
		{call(expr.FnLevenshtein, lstr("kitten"), lstr("sitting")), "3"},
		{call(expr.FnLevenshtein, lstr("duck"), lstr("db")), "3"},
	})
}
