package parser

import (
	"errors"
	"testing"
)

// FuzzParseQuery parses arbitrary SQL as a query and as an expression.
// A rejection must be an *Error with a position inside the text; no input
// may panic or loop. Seeds: testdata/fuzz/FuzzParseQuery.
func FuzzParseQuery(fz *testing.F) {
	for _, s := range []string{
		"SELECT a, sum(b) FROM t WHERE c > 1 GROUP BY a HAVING count(*) > 2 ORDER BY 2 DESC LIMIT 10",
		"WITH x AS (SELECT 1 AS a) SELECT * FROM x JOIN y USING (a) UNION ALL VALUES (1), (2)",
		"SELECT CAST(a AS decimal(10,2)), CASE WHEN b IS NULL THEN 'x' END, EXTRACT(year FROM d) FROM t",
		"SELECT row_number() OVER (PARTITION BY a ORDER BY b ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t QUALIFY 1 = 1",
		"SELECT a FROM t WHERE a IN (SELECT b FROM u) AND EXISTS (SELECT 1) AND s LIKE '%x' ESCAPE '!'",
		"SELECT substring(s FROM 2 FOR 3), trim(BOTH 'x' FROM s), position('a' IN s), INTERVAL '1' DAY FROM t",
		"SELECT a FROM t GROUP BY GROUPING SETS ((a), ROLLUP (b, c), CUBE (d)) OFFSET 5",
	} {
		fz.Add(s)
	}
	fz.Fuzz(func(t *testing.T, sql string) {
		if _, err := ParseQuery(sql); err != nil {
			checkError(t, sql, err)
		}
		if _, err := ParseExpr(sql); err != nil {
			checkError(t, sql, err)
		}
	})
}

func checkError(t *testing.T, sql string, err error) {
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("%q: error %v is not a syntax error", sql, err)
	}
	if pe.Pos.Offset < 0 || pe.Pos.Offset > len(sql) || pe.Pos.Line < 1 || pe.Pos.Col < 1 {
		t.Fatalf("%q: error %v at %+v, outside the text", sql, err, pe.Pos)
	}
}
