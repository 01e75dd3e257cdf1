package sqlfront

import (
	"fmt"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/sqlfront/ast"
)

// notYet names the construct n uses that sqlfront cannot plan yet, or ""
// when there is none at n itself. The parser accepts all of these; this
// is the one place that turns them away, with a case per construct, so
// each goes when planning for it lands.
func notYet(n ast.Node) string {
	switch x := n.(type) {
	case *ast.FuncCall:
		return notYetCall(x)
	case *ast.Derived:
		if x.Lateral {
			return "LATERAL"
		}
	}
	return ""
}

func notYetCall(f *ast.FuncCall) string {
	switch {
	case f.Filter != nil && f.Over == nil && !isAggregateName(f.Name):
		return "FILTER (WHERE ...) on a function that is not an aggregate"
	case f.Nulls != ast.NullsUnspecified && f.Over == nil:
		return "IGNORE NULLS / RESPECT NULLS outside a window function"
	}
	return ""
}

// knownAggregates are aggregate functions of other engines that Drover
// does not have (yet); calling one says so instead of "unknown function".
// Names that expr.AggFuncByName knows take precedence.
var knownAggregates = map[string]bool{
	"array_agg": true, "mode": true, "collect_list": true, "collect_set": true,
	"histogram": true, "list": true,
}

// checkSupported rejects the first construct under n that notYet names,
// pointing at where it is.
func checkSupported(n ast.Node) error {
	var err error
	ast.Inspect(n, func(c ast.Node) bool {
		if err != nil {
			return false
		}
		if what := notYet(c); what != "" {
			err = unsupported("not supported: %s (at line %d, column %d: %s)", what, c.Position().Line, c.Position().Col, snippet(c))
		}
		return err == nil
	})
	return err
}

// snippet is the start of n as SQL, for messages.
func snippet(n ast.Node) string {
	s := n.String()
	if len(s) > 60 {
		s = s[:60] + "..."
	}
	return fmt.Sprint(s)
}

func isAggregateName(name string) bool {
	_, ok := expr.IsAggregate(canonicalFunc(name))
	return ok
}
