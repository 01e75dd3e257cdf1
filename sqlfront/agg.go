package sqlfront

import (
	"strings"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/sqlfront/ast"
	"github.com/drover-etl/drover/types"
)

// Aggregate calls travel inside unbound expression trees as calls named
// aggPrefix+function (+":distinct"). The prefix cannot be written in SQL,
// and Query.Plan replaces every marker by a column of the Aggregate node
// before anything is bound.
const (
	aggPrefix   = "$agg:"
	aggDistinct = ":distinct"
	// groupingCall marks GROUPING(keys…), answered from the grouping id.
	groupingCall = "$grouping"
)

// aggCall is the marker of aggregate f over args (none for count(*)).
func aggCall(f expr.AggFunc, distinct bool, args ...*expr.Expr) *expr.Expr {
	name := aggPrefix + f.String()
	if distinct {
		name += aggDistinct
	}
	var out []*expr.Expr
	for _, a := range args {
		if a != nil {
			out = append(out, a)
		}
	}
	return expr.Call(name, out...)
}

// asAgg decodes an aggregate marker; arg is its first argument.
func asAgg(e *expr.Expr) (f expr.AggFunc, distinct bool, arg *expr.Expr, ok bool) {
	f, distinct, args, ok := asAggCall(e)
	if len(args) > 0 {
		arg = args[0]
	}
	return f, distinct, arg, ok
}

// asAggCall decodes an aggregate marker with all its arguments.
func asAggCall(e *expr.Expr) (f expr.AggFunc, distinct bool, args []*expr.Expr, ok bool) {
	if e.Kind != expr.KindCall || !strings.HasPrefix(e.Name, aggPrefix) {
		return 0, false, nil, false
	}
	name := strings.TrimPrefix(e.Name, aggPrefix)
	name, distinct = strings.CutSuffix(name, aggDistinct)
	if name == expr.AggCountStar.String() {
		return expr.AggCountStar, false, nil, true
	}
	return expr.AggFuncByName[name], distinct, e.Args, true
}

// HasAggregate reports whether e contains an aggregate call.
func HasAggregate(e *expr.Expr) bool {
	found := false
	expr.Walk(e, func(n *expr.Expr) bool {
		if _, _, _, ok := asAgg(n); ok {
			found = true
		}
		return !found
	})
	return found
}

func (c *conv) convertAgg(x *ast.FuncCall) (*expr.Expr, error) {
	f, ok := expr.IsAggregate(canonicalFunc(x.Name))
	if !ok {
		return nil, unsupported("not supported: aggregate %s (in %s); see docs/sql-functions.md for the aggregates Drover has", x.Name, x)
	}
	var filter *expr.Expr
	if x.Filter != nil {
		var err error
		if filter, err = c.convert(x.Filter); err != nil {
			return nil, err
		}
	}
	if x.Star {
		if f != expr.AggCount || x.Distinct {
			return nil, parseErr("only count takes * (in %s)", x)
		}
		if filter != nil {
			// count(*) FILTER (WHERE c) counts the rows where c is true.
			return aggCall(expr.AggCount, false, onlyWhere(filter, expr.Lit(types.Int64Value(1)))), nil
		}
		return aggCall(expr.AggCountStar, false, nil), nil
	}
	if len(x.Args) == 0 {
		return nil, parseErr("%s needs an argument (in %s)", x.Name, x)
	}
	// count(1) counts rows, like count(*).
	if f == expr.AggCount && !x.Distinct && filter == nil && len(x.Args) == 1 && isNonNullLiteral(x.Args[0]) {
		return aggCall(expr.AggCountStar, false), nil
	}
	args, err := c.convertAll(x.Args...)
	if err != nil {
		return nil, err
	}
	for _, a := range args {
		if HasAggregate(a) {
			return nil, planErr("aggregate inside an aggregate in %s", x)
		}
	}
	if filter != nil {
		// An aggregate skips NULLs: FILTER (WHERE c) passes NULL where c
		// is not true. (The binder checks the arity.)
		args[0] = onlyWhere(filter, args[0])
	}
	return aggCall(f, x.Distinct, args...), nil
}

// onlyWhere is CASE WHEN cond THEN e END.
func onlyWhere(cond, e *expr.Expr) *expr.Expr {
	return expr.Call(expr.FnCase, cond, e, expr.Lit(types.Value{Null: true}))
}
