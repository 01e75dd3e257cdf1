package parser

import (
	"errors"
	"strings"
	"testing"

	"github.com/drover-etl/drover/sqlfront/ast"
)

func TestParseExprPrint(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a + b * 2 - c / d % 3", "((a + (b * 2)) - ((c / d) % 3))"},
		{"a || b + 1", "(a || (b + 1))"},
		{"-x::int", "(-CAST(x AS INT))"},
		{"NOT a = b AND c OR d", "(((NOT (a = b)) AND c) OR d)"},
		{"a <> b AND a != c", "((a <> b) AND (a <> c))"},
		{"x IS NOT NULL", "(x IS NOT NULL)"},
		{"x IS TRUE OR y IS NOT FALSE", "((x IS TRUE) OR (y IS NOT FALSE))"},
		{"a IS NOT DISTINCT FROM b", "(a IS NOT DISTINCT FROM b)"},
		{"x NOT BETWEEN 1 AND 2 AND y", "((x NOT BETWEEN 1 AND 2) AND y)"},
		{"x IN (1, 2)", "(x IN (1, 2))"},
		{"x NOT IN (SELECT y FROM t)", "(x NOT IN (SELECT y FROM t))"},
		{"s NOT ILIKE 'a!%' ESCAPE '!'", "(s NOT ILIKE 'a!%' ESCAPE '!')"},
		{"EXISTS (SELECT 1)", "EXISTS (SELECT 1)"},
		{"NOT EXISTS (SELECT 1 FROM t)", "(NOT EXISTS (SELECT 1 FROM t))"},
		{"(SELECT max(a) FROM t) + 1", "((SELECT max(a) FROM t) + 1)"},
		{"((SELECT 1) + 1)", "((SELECT 1) + 1)"},
		{"x > ALL (SELECT y FROM t)", "(x > ALL (SELECT y FROM t))"},
		{"x = SOME (SELECT y FROM t)", "(x = ANY (SELECT y FROM t))"},
		{"CASE x WHEN 1 THEN 'a' ELSE 'b' END", "CASE x WHEN 1 THEN 'a' ELSE 'b' END"},
		{"CASE WHEN a THEN 1 END", "CASE WHEN a THEN 1 END"},
		{"CAST(x AS DECIMAL(15, 2))", "CAST(x AS DECIMAL(15,2))"},
		{"TRY_CAST(x AS double precision)", "TRY_CAST(x AS DOUBLE PRECISION)"},
		{"x::varchar(10)", "CAST(x AS VARCHAR(10))"},
		{"count(*) FILTER (WHERE a > 1)", "count(*) FILTER (WHERE (a > 1))"},
		{"COUNT(DISTINCT a)", "count(DISTINCT a)"},
		{"SUM (x)", "sum(x)"},
		{"current_date + 1", "(current_date() + 1)"},
		{"CURRENT_TIMESTAMP > localtimestamp", "(current_timestamp() > localtimestamp())"},
		{"current_date()", "current_date()"},
		{"t.current_date", "t.current_date"},
		{"first_value(x IGNORE NULLS) OVER w", "first_value(x) IGNORE NULLS OVER w"},
		{"lag(x) RESPECT NULLS OVER (PARTITION BY a ORDER BY b DESC NULLS LAST)", "lag(x) RESPECT NULLS OVER (PARTITION BY a ORDER BY b DESC NULLS LAST)"},
		{"sum(x) OVER (ORDER BY d RANGE BETWEEN INTERVAL 3 DAY PRECEDING AND CURRENT ROW EXCLUDE TIES)",
			"sum(x) OVER (ORDER BY d RANGE BETWEEN INTERVAL 3 DAY PRECEDING AND CURRENT ROW EXCLUDE TIES)"},
		{"avg(x) OVER (w ROWS 2 PRECEDING)", "avg(x) OVER (w ROWS 2 PRECEDING)"},
		{"EXTRACT(year FROM d)", "EXTRACT(YEAR FROM d)"},
		{"SUBSTRING(s FROM 2 FOR 3)", "substring(s, 2, 3)"},
		{"substring(s, 2)", "substring(s, 2)"},
		{"TRIM(LEADING 'x' FROM s)", "TRIM(LEADING 'x' FROM s)"},
		{"TRIM(BOTH FROM s)", "TRIM(BOTH FROM s)"},
		{"trim(s)", "TRIM(s)"},
		{"POSITION('a' IN s)", "position('a', s)"},
		{"left(s, 2) || right(s, 1)", "(left(s, 2) || right(s, 1))"},
		{"if(a, 1, 2) + replace(s, 'a', 'b')", "(if(a, 1, 2) + replace(s, 'a', 'b'))"},
		{"DATE '2026-01-02' + INTERVAL '3' MONTH", "(DATE '2026-01-02' + INTERVAL '3' MONTH)"},
		{"d - interval 1 day", "(d - INTERVAL 1 DAY)"},
		{"INTERVAL '1 day'", "INTERVAL '1 day'"},
		{"INTERVAL '1-2' YEAR TO MONTH", "INTERVAL '1-2' YEAR TO MONTH"},
		{"TIMESTAMP '2026-01-02 10:00:00'", "TIMESTAMP '2026-01-02 10:00:00'"},
		{`"My Col" = 'it''s'`, `("My Col" = 'it''s')`},
		{"t.a = s.t.b", "(t.a = s.t.b)"},
		{"1e5 + 1.50 + .5 + 7", "(((1e5 + 1.50) + .5) + 7)"},
		{"NULL IS NULL AND TRUE", "((NULL IS NULL) AND TRUE)"},
		{"textkit.slug(name)", "textkit.slug(name)"},
		{"date + 1", "(date + 1)"},
	}
	for _, tt := range tests {
		e, err := ParseExpr(tt.in)
		if err != nil {
			t.Errorf("ParseExpr(%q): %v", tt.in, err)
			continue
		}
		if got := e.String(); got != tt.want {
			t.Errorf("ParseExpr(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestParseQueryPrint(t *testing.T) {
	tests := []struct{ in, want string }{
		{"select 1", "SELECT 1"},
		{"SELECT a, b x, c AS y, t.*, * FROM t", "SELECT a, b AS x, c AS y, t.*, * FROM t"},
		{"SELECT DISTINCT a FROM s.t AS u(x, y) WHERE x > 1;", "SELECT DISTINCT a FROM s.t AS u(x, y) WHERE (x > 1)"},
		{"SELECT * FROM a FULL JOIN b ON a.x = b.x", "SELECT * FROM (a FULL JOIN b ON (a.x = b.x))"},
		{"SELECT * FROM a full outer join b using (x, y)", "SELECT * FROM (a FULL JOIN b USING(x, y))"},
		{"SELECT * FROM a NATURAL LEFT JOIN b CROSS JOIN c", "SELECT * FROM ((a NATURAL LEFT JOIN b) CROSS JOIN c)"},
		{"SELECT * FROM a RIGHT OUTER JOIN (b JOIN c ON b.x = c.x) ON a.x = b.x, d",
			"SELECT * FROM (a RIGHT JOIN (b JOIN c ON (b.x = c.x)) ON (a.x = b.x)), d"},
		{"SELECT * FROM (SELECT 1) t, (VALUES (1, 'a'), (2, 'b')) v(n, s)",
			"SELECT * FROM (SELECT 1) AS t, (VALUES (1, 'a'), (2, 'b')) AS v(n, s)"},
		{"WITH a(x) AS (SELECT 1), b AS (SELECT 2) SELECT * FROM a, b",
			"WITH a(x) AS (SELECT 1), b AS (SELECT 2) SELECT * FROM a, b"},
		{"SELECT a FROM t UNION SELECT b FROM u INTERSECT SELECT c FROM v EXCEPT ALL SELECT d FROM w",
			"SELECT a FROM t UNION SELECT b FROM u INTERSECT SELECT c FROM v EXCEPT ALL SELECT d FROM w"},
		{"(SELECT a FROM t ORDER BY a LIMIT 1) UNION ALL (SELECT b FROM u) ORDER BY 1 LIMIT ALL OFFSET 2",
			"(SELECT a FROM t ORDER BY a LIMIT 1) UNION ALL (SELECT b FROM u) ORDER BY 1 OFFSET 2"},
		{"SELECT a FROM t FETCH FIRST 5 ROWS ONLY", "SELECT a FROM t LIMIT 5"},
		{"SELECT a, sum(b) FROM t GROUP BY ROLLUP (a, (b, c)), CUBE(d), GROUPING SETS ((a, b), (a), ()), 1, (a + b) * 2",
			"SELECT a, sum(b) FROM t GROUP BY ROLLUP (a, (b, c)), CUBE (d), GROUPING SETS ((a, b), a, ()), 1, ((a + b) * 2)"},
		{"SELECT a, rank() OVER w FROM t WINDOW w AS (PARTITION BY a ORDER BY b) QUALIFY rank() OVER w = 1",
			"SELECT a, rank() OVER w FROM t WINDOW w AS (PARTITION BY a ORDER BY b) QUALIFY (rank() OVER w = 1)"},
		{"SELECT a FROM t GROUP BY a HAVING count(*) > 1 ORDER BY a DESC NULLS FIRST, 2",
			"SELECT a FROM t GROUP BY a HAVING (count(*) > 1) ORDER BY a DESC NULLS FIRST, 2"},
		{"SELECT a \"total\", b 'x' FROM t", "SELECT a AS total, b AS x FROM t"},
		{"SELECT 1 -- comment\n /* block */ FROM t", "SELECT 1 FROM t"},
	}
	for _, tt := range tests {
		q, err := ParseQuery(tt.in)
		if err != nil {
			t.Errorf("ParseQuery(%q): %v", tt.in, err)
			continue
		}
		if got := q.String(); got != tt.want {
			t.Errorf("ParseQuery(%q)\n got %s\nwant %s", tt.in, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"SELECT a FROM t WHERE", "syntax error at the end (line 1, column 22): expected an expression"},
		{"SELECT a,\n  b c d FROM t", `syntax error near "d FROM t" (line 2, column 7): unexpected D after the query`},
		{"SELECT * FROM a JOIN b", "syntax error at the end (line 1, column 23): expected ON or USING after the joined table"},
		{"WITH RECURSIVE r AS (SELECT 1) SELECT * FROM r", `syntax error near "RECURSIVE r AS (SELECT 1) SELECT * FROM ..." (line 1, column 6): WITH RECURSIVE is not supported`},
		{"SELECT 'abc", "unterminated string literal"},
		{"SELECT a FROM t WHERE x IS 5", "expected NULL, TRUE, FALSE or DISTINCT FROM after IS"},
		{"SELECT CAST(x AS) FROM t", "expected a type name"},
		{"SELECT 1 FROM t LIMIT 1 LIMIT 2", "a second LIMIT"},
		{"SELECT a FROM t AS", "expected an alias"},
		{"SELECT a FROM t FULL", `syntax error at the end (line 1, column 21): expected JOIN`},
		{"SELECT select", "expected an expression"},
		{"SELECT 12abc", `malformed number "12a"`},
		{"SELECT a FROM t; SELECT b FROM u", `near "SELECT b FROM u"`},
	}
	for _, tt := range tests {
		_, err := ParseQuery(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, ErrSyntax) {
			t.Errorf("ParseQuery(%q) error = %v, want %q", tt.in, err, tt.want)
		}
	}
	_, err := ParseQuery("DELETE FROM t")
	if !errors.Is(err, ErrNotQuery) || !errors.Is(err, ErrSyntax) {
		t.Errorf("DELETE: %v, want ErrNotQuery", err)
	}
}

func TestFragmentErrors(t *testing.T) {
	tests := []struct {
		parse func(string) error
		in    string
		want  string
	}{
		{func(s string) error { _, err := ParseExpr(s); return err }, "a = = b", `syntax error near "= b" (column 5): expected an expression`},
		{func(s string) error { _, err := ParseExpr(s); return err }, "a = ", `syntax error at the end (column 5)`},
		{func(s string) error { _, err := ParseExpr(s); return err }, "a FROM t", `near "FROM t" (column 3): expected a single expression`},
		{func(s string) error { _, err := ParseSelectItem(s); return err }, "sum(x) AS", `at the end (column 10): expected an alias`},
		{func(s string) error { _, err := ParseOrderItem(s); return err }, "x NULLS", `at the end (column 8): expected FIRST or LAST`},
	}
	for _, tt := range tests {
		err := tt.parse(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: error = %v, want %q", tt.in, err, tt.want)
		}
	}
}

func TestPositions(t *testing.T) {
	q, err := ParseQuery("SELECT a,\n       t.b + 1 AS c\nFROM t")
	if err != nil {
		t.Fatal(err)
	}
	items := q.Body.(*ast.Select).Items
	if p := items[1].Expr.Position(); p.Line != 2 || p.Col != 8 {
		t.Errorf("position of t.b + 1 = %+v, want line 2 column 8", p)
	}
	if p := q.Body.(*ast.Select).From[0].Position(); p.Line != 3 || p.Col != 6 {
		t.Errorf("position of t = %+v", p)
	}
	it, err := ParseOrderItem("x DESC NULLS FIRST")
	if err != nil || !it.Desc || it.Nulls != ast.NullsFirst {
		t.Errorf("ParseOrderItem = %+v, %v", it, err)
	}
	si, err := ParseSelectItem("paid.*")
	if err != nil || !si.Star || si.StarQualifier != "paid" {
		t.Errorf("ParseSelectItem = %+v, %v", si, err)
	}
}

func TestParseParenthesesBacktrack(t *testing.T) {
	tests := []struct{ in, want string }{
		{"SELECT * FROM ((SELECT a FROM t) x JOIN u ON x.a = u.a)", "SELECT * FROM ((SELECT a FROM t) AS x JOIN u ON (x.a = u.a))"},
		{"SELECT * FROM ((SELECT a FROM t) UNION (SELECT b FROM u)) v", "SELECT * FROM ((SELECT a FROM t) UNION (SELECT b FROM u)) AS v"},
		{"SELECT a FROM t WHERE a IN ((SELECT 1), 2)", "SELECT a FROM t WHERE (a IN ((SELECT 1), 2))"},
		{"SELECT a FROM t WHERE a IN ((SELECT 1) UNION (SELECT 2))", "SELECT a FROM t WHERE (a IN ((SELECT 1) UNION (SELECT 2)))"},
		{"SELECT current, leading, cast, extract, \"table\" FROM t", `SELECT current, leading, cast, extract, table FROM t`},
	}
	for _, tt := range tests {
		q, err := ParseQuery(tt.in)
		if err != nil {
			t.Errorf("ParseQuery(%q): %v", tt.in, err)
			continue
		}
		if got := q.String(); got != tt.want {
			t.Errorf("ParseQuery(%q)\n got %s\nwant %s", tt.in, got, tt.want)
		}
	}
}
