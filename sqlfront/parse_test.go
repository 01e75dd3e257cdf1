package sqlfront

import (
	"errors"
	"strings"
	"testing"
)

func TestParseExpr(t *testing.T) {
	tests := []struct{ in, want string }{
		{"status = 'paid' AND amount > 0", `((status = "paid") AND (amount > 0))`},
		{"a + b * 2 - c / d % 3", "((a + (b * 2)) - ((c / d) % 3))"},
		{"-x", "neg(x)"},
		{"NOT (a OR b)", "not((a OR b))"},
		{"x IS NULL OR y IS NOT NULL", "(is_null(x) OR is_not_null(y))"},
		{"x IN (1, 2, 3)", "in(x, 1, 2, 3)"},
		{"x NOT IN ('a')", `not(in(x, "a"))`},
		{"x BETWEEN 1 AND 10", "((x >= 1) AND (x <= 10))"},
		{"x NOT BETWEEN 1 AND 10", "not(((x >= 1) AND (x <= 10)))"},
		{"name LIKE 'a%'", `like(name, "a%")`},
		{"name NOT LIKE 'a%'", `not(like(name, "a%"))`},
		{"name ILIKE 'a%'", `ilike(name, "a%")`},
		{"name LIKE 'a!%%' ESCAPE '!'", `like(name, "a\\%%")`},
		{"CASE WHEN a > 1 THEN 'big' ELSE 'small' END", `case((a > 1), "big", "small")`},
		{"CASE x WHEN 1 THEN 'one' WHEN 2 THEN 'two' END", `case((x = 1), "one", (x = 2), "two", NULL)`},
		{"CAST(ordered_at AS DATE)", "cast(ordered_at AS date)"},
		{"CAST(x AS BIGINT) + CAST(y AS INT)", "(cast(x AS int64) + cast(y AS int32))"},
		{"cast(x as decimal(10,2))", "cast(x AS decimal(10,2))"},
		{"CAST(b AS BOOLEAN)", "cast(b AS bool)"},
		{"CAST(t AS TIMESTAMP)", "cast(t AS timestamp)"},
		{"CAST(s AS VARCHAR(20))", "cast(s AS string)"},
		{"coalesce(a, b, 0)", "coalesce(a, b, 0)"},
		{"IFNULL(a, 0)", "coalesce(a, 0)"},
		{"NULLIF(a, 0)", "nullif(a, 0)"},
		{"IF(a > 0, 'pos', 'neg')", `case((a > 0), "pos", "neg")`},
		{"a || b || 'x'", `((a || b) || "x")`},
		{"concat(a, b)", `(coalesce(cast(a AS string), "") || coalesce(cast(b AS string), ""))`},
		{"lcase(a) = upper(b)", "(lower(a) = upper(b))"},
		{"char_length(a) + length(b)", "(length(a) + length(b))"},
		{"substring(a, 1, 3)", "substr(a, 1, 3)"},
		{"substring(a FROM 2 FOR 3)", "substr(a, 2, 3)"},
		{"trim(a)", "trim(a)"},
		{"trim(leading from a)", "ltrim(a)"},
		{"rtrim(a)", "rtrim(a)"},
		{"replace(a, 'x', 'y')", `replace(a, "x", "y")`},
		{"starts_with(a, 'x') AND ends_with(a, 'y') AND contains(a, 'z')", `((starts_with(a, "x") AND ends_with(a, "y")) AND contains(a, "z"))`},
		{"abs(x) + round(x, 2) + floor(x) + ceiling(x) + ceil(x)", "((((abs(x) + round(x, 2)) + floor(x)) + ceil(x)) + ceil(x))"},
		{"year(d) + month(d) + day(d) + dayofmonth(d) + hour(t) + dayofweek(d)", "(((((year(d) + month(d)) + day(d)) + day(d)) + hour(t)) + day_of_week(d))"},
		{"EXTRACT(YEAR FROM d)", "year(d)"},
		{"EXTRACT(HOUR FROM t)", "hour(t)"},
		{"date_trunc('month', d)", `date_trunc("month", d)`},
		{"DATE_ADD(d, INTERVAL 3 DAY)", "add_interval(d, 0, 3, 0)"},
		{"date_add(d, INTERVAL 2 WEEK)", "add_interval(d, 0, (2 * 7), 0)"},
		{"date_add(d, 5)", "date_add(d, 5)"},
		{"date_sub(d, 5)", "date_add(d, neg(5))"},
		{"DATE_SUB(d, INTERVAL 1 DAY)", "add_interval(d, 0, neg(1), 0)"},
		{"datediff(a, b)", "date_diff(a, b)"},
		{"date_add(d, INTERVAL 1 MONTH)", "add_interval(d, 1, 0, 0)"},
		{"d + INTERVAL '3' DAY", "add_interval(d, 0, 3, 0)"},
		{"d - INTERVAL 2 WEEK", "add_interval(d, 0, neg((2 * 7)), 0)"},
		{"INTERVAL 1 DAY + d", "add_interval(d, 0, 1, 0)"},
		{"d + INTERVAL (n + 1) DAY", "add_interval(d, 0, (n + 1), 0)"},
		{"d - INTERVAL '3' MONTH", "add_interval(d, -3, 0, 0)"},
		{"t + INTERVAL '1 year 2 months 3 days 4 hours'", "add_interval(t, 14, 3, 14400000000)"},
		{"t + INTERVAL 90 MINUTE", "add_interval(t, 0, 0, 5400000000)"},
		{"d + INTERVAL '1-2' YEAR TO MONTH", "add_interval(d, 14, 0, 0)"},
		{"d + INTERVAL '1 day'", "add_interval(d, 0, 1, 0)"},
		{"d - INTERVAL '2 weeks'", "add_interval(d, 0, neg(14), 0)"},
		{"d + 5", "(d + 5)"},
		{"a IS NOT DISTINCT FROM b", "coalesce((a = b), (is_null(a) AND is_null(b)))"},
		{"a IS DISTINCT FROM b", "not(coalesce((a = b), (is_null(a) AND is_null(b))))"},
		{"x::bigint + CAST(y AS double precision)", "(cast(x AS int64) + cast(y AS float64))"},
		{"-5 + -x", "(-5 + neg(x))"},
		{"count(1)", "$agg:count(*)()"},
		{"TRIM(TRAILING ' ' FROM s)", `rtrim(s, " ")`},
		{"SUM (x)", "$agg:sum(x)"},
		{"left(s, 2)", "left(s, 2)"},
		{"day = DATE '2026-11-20'", "(day = DATE '2026-11-20')"},
		{"t >= TIMESTAMP '2026-11-20 10:00:00'", "(t >= TIMESTAMP '2026-11-20 10:00:00')"},
		{"textkit.slug(name)", "textkit.slug(name)"},
		{"p.amount > 1.5", "(p.amount > 1.5)"},
		{`"my col" = 1e3`, "(my col = 1000)"},
		{"flag = TRUE AND other = false", "((flag = true) AND (other = false))"},
		{"x = NULL", "(x = NULL)"},
		{"x IS TRUE", "coalesce(x, false)"},
		{"x IS NOT FALSE", "not(coalesce(not(x), false))"},
		{"count(*) > 5", "($agg:count(*)() > 5)"},
		{"sum(DISTINCT x)", "$agg:sum:distinct(x)"},
		{"99999999999999999999 > 1", "(99999999999999999999 > 1)"},
		{"lenght(x)", "lenght(x)"},
	}
	for _, tt := range tests {
		got, err := ParseExpr(tt.in)
		if err != nil {
			t.Errorf("ParseExpr(%q): %v", tt.in, err)
			continue
		}
		if got.String() != tt.want {
			t.Errorf("ParseExpr(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestParseExprErrors(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr error
	}{
		{"a = ", `syntax error at the end`, ErrSyntax},
		{"a = = b", `syntax error near "= b" (column 5)`, ErrSyntax},
		{"a FROM t", "expected a single expression", ErrSyntax},
		{"a AS b", "without alias", ErrSyntax},
		{"x IN (SELECT y FROM t)", "not supported: a subquery here (at line 1, column 1); subqueries work in the WHERE, HAVING, select list and ORDER BY of SQL views", ErrUnsupported},
		{"EXISTS (SELECT 1 FROM t)", "not supported: a subquery here", ErrUnsupported},
		{"x > ALL (SELECT y FROM t)", "not supported: a subquery here", ErrUnsupported},
		{"rank() OVER (ORDER BY x)", "not supported: a window function here", ErrUnsupported},
		{"TRY_CAST(x AS INT)", "not supported: TRY_CAST", ErrUnsupported},
		{"x + INTERVAL (n) MONTH", "not supported: INTERVAL with a computed value", ErrUnsupported},
		{"INTERVAL 3 DAY", "not supported: INTERVAL outside date/timestamp ± INTERVAL", ErrUnsupported},
		{"d + INTERVAL '3 fortnights'", "malformed interval", ErrSyntax},
		{"EXTRACT(FORTNIGHT FROM t)", "not supported: EXTRACT(FORTNIGHT ...)", ErrUnsupported},
		{"CAST(x AS BLOB)", `unknown type "BLOB"`, nil},
		{"DATE '2026-13-01'", `malformed date "2026-13-01"`, ErrSyntax},
		{"a REGEXP 'x'", `syntax error near "'x'" (column 10)`, ErrSyntax},
		{"upper(*)", "upper is not an aggregate", ErrSyntax},
		{"sum(sum(x))", "aggregate inside an aggregate", ErrPlan},
		{"a; b", "", ErrSyntax},
	}
	for _, tt := range tests {
		_, err := ParseExpr(tt.in)
		if err == nil {
			t.Errorf("ParseExpr(%q): no error, want %q", tt.in, tt.want)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) {
			t.Errorf("ParseExpr(%q) error = %q, want %q (%v)", tt.in, err, tt.want, tt.wantErr)
		}
	}
}

func TestParseItems(t *testing.T) {
	it, err := ParseItem("CAST(ordered_at AS DATE) AS day")
	if err != nil || it.Alias != "day" || it.Expr.String() != "cast(ordered_at AS date)" {
		t.Errorf("ParseItem = %+v, %v", it, err)
	}
	it, err = ParseItem("paid.*")
	if err != nil || !it.Star || it.StarQualifier != "paid" {
		t.Errorf("ParseItem(paid.*) = %+v, %v", it, err)
	}
	it, err = ParseItem("sum(amount) revenue")
	if err != nil || it.Alias != "revenue" || it.Expr.String() != "$agg:sum(amount)" {
		t.Errorf("ParseItem(sum) = %+v, %v", it, err)
	}
	o, err := ParseOrderItem("revenue DESC")
	if err != nil || !o.Desc || o.NullsSet || o.Expr.String() != "revenue" {
		t.Errorf("ParseOrderItem = %+v, %v", o, err)
	}
	o, err = ParseOrderItem("day nulls LAST")
	if err != nil || o.Desc || !o.NullsSet || o.NullsFirst {
		t.Errorf("ParseOrderItem(nulls last) = %+v, %v", o, err)
	}
	o, err = ParseOrderItem("2 DESC NULLS FIRST")
	if err != nil || o.Ordinal != 2 || !o.Desc || !o.NullsFirst {
		t.Errorf("ParseOrderItem(ordinal) = %+v, %v", o, err)
	}
}
