package ast_test

import (
	"testing"

	"github.com/drover-etl/drover/sqlfront/ast"
	"github.com/drover-etl/drover/sqlfront/parser"
)

// TestInspectReachesEveryQuery: Inspect visits queries nested anywhere
// (CTEs, derived tables, expressions of every clause, window specs).
func TestInspectReachesEveryQuery(t *testing.T) {
	q, err := parser.ParseQuery(`
		WITH c AS (SELECT 1 AS one FROM t)
		SELECT (SELECT 2 FROM t), sum(x) FILTER (WHERE x IN (SELECT 3 FROM t)) OVER (PARTITION BY (SELECT 4 FROM t))
		FROM (SELECT 5 FROM t) d JOIN u ON EXISTS (SELECT 6 FROM t)
		WHERE x > ALL (SELECT 7 FROM t)
		GROUP BY ROLLUP ((SELECT 8 FROM t))
		HAVING CASE WHEN true THEN (SELECT 9 FROM t) END > 0
		ORDER BY (SELECT 10 FROM t)`)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	ast.Inspect(q, func(n ast.Node) bool {
		if l, ok := n.(*ast.Literal); ok && l.Kind == ast.LitInt {
			seen[l.Text] = true
		}
		return true
	})
	for _, want := range []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"} {
		if !seen[want] {
			t.Errorf("Inspect did not reach SELECT %s", want)
		}
	}
	stops := 0
	ast.Inspect(q, func(n ast.Node) bool {
		if _, ok := n.(*ast.Subquery); ok {
			stops++
			return false
		}
		return true
	})
	if stops != 5 {
		t.Errorf("scalar subqueries seen = %d, want 5", stops)
	}
}
