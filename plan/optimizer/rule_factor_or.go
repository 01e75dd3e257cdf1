package optimizer

import (
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// FactorOr pulls the conjuncts every branch of an OR shares out of it:
// (a AND b) OR (a AND c) becomes a AND (b OR c), and (a AND b) OR a becomes
// a. Both are laws of SQL's three-valued logic (distributivity and
// absorption hold for TRUE/NULL/FALSE). The point is the shared conjunct:
// once top-level, push_predicates can push it down or make it a join
// condition (TPC-H Q19 repeats p_partkey = l_partkey in every OR branch,
// which is otherwise a cross join under a filter). Applied to filter
// conditions and join filters; plugin calls are never factored (they would
// run on other rows than written).
var FactorOr = Rule{Name: "factor_or", Apply: factorOrs}

func factorOrs(n logical.Node, _ Config) (logical.Node, error) {
	return logical.Transform(n, func(n logical.Node) (logical.Node, error) {
		switch t := n.(type) {
		case *logical.Filter:
			if c := factorExpr(t.Cond); c != t.Cond {
				return &logical.Filter{Input: t.Input, Cond: c}, nil
			}
		case *logical.Join:
			if t.Filter != nil {
				if c := factorExpr(t.Filter); c != t.Filter {
					out := *t
					out.Filter = c
					return &out, nil
				}
			}
		}
		return n, nil
	})
}

// factorExpr rewrites every OR in e (bottom-up through AND, OR and NOT);
// it returns e itself when nothing changed.
func factorExpr(e *expr.Expr) *expr.Expr {
	if e.Kind != expr.KindCall || (e.Name != expr.FnAnd && e.Name != expr.FnOr && e.Name != expr.FnNot) {
		return e
	}
	changed := false
	args := make([]*expr.Expr, len(e.Args))
	for i, a := range e.Args {
		args[i] = factorExpr(a)
		changed = changed || args[i] != a
	}
	out := e
	if changed {
		c := *e
		c.Args = args
		out = &c
	}
	if out.Name == expr.FnOr {
		return factorOr(out)
	}
	return out
}

// factorOr factors one OR node.
func factorOr(e *expr.Expr) *expr.Expr {
	branches := disjuncts(e)
	lists := make([][]*expr.Expr, len(branches))
	for i, b := range branches {
		lists[i] = conjuncts(b)
	}
	var common []*expr.Expr
	for _, c := range lists[0] {
		if !hasPlugin(c) && inAll(c, lists[1:]) {
			common = appendUnique(common, c)
		}
	}
	if len(common) == 0 {
		return e
	}
	var rest []*expr.Expr
	for _, l := range lists {
		var left []*expr.Expr
		for _, c := range l {
			if !containsExpr(common, c) {
				left = append(left, c)
			}
		}
		if len(left) == 0 {
			return conjoin(common) // absorption: one branch is just the common part
		}
		rest = append(rest, conjoin(left))
	}
	return conjoin(append(common, disjoin(rest)))
}

// disjuncts splits nested ORs into their operands, in order.
func disjuncts(e *expr.Expr) []*expr.Expr {
	if !e.IsCall(expr.FnOr) {
		return []*expr.Expr{e}
	}
	var out []*expr.Expr
	for _, a := range e.Args {
		out = append(out, disjuncts(a)...)
	}
	return out
}

// disjoin ORs es left-deep (es is not empty).
func disjoin(es []*expr.Expr) *expr.Expr {
	out := es[0]
	for _, e := range es[1:] {
		c := expr.Call(expr.FnOr, out, e)
		c.Type = types.BoolType
		c.Nullable = out.Nullable || e.Nullable
		out = c
	}
	return out
}

func inAll(c *expr.Expr, lists [][]*expr.Expr) bool {
	for _, l := range lists {
		if !containsExpr(l, c) {
			return false
		}
	}
	return true
}

func containsExpr(es []*expr.Expr, e *expr.Expr) bool {
	for _, x := range es {
		if expr.Equal(x, e) {
			return true
		}
	}
	return false
}
