package optimizer

import (
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// simplify applies the algebra that holds with non-constant operands too:
// x AND TRUE → x, x AND FALSE → FALSE, x OR TRUE → TRUE, x OR FALSE → x,
// NOT NOT x → x, CASE arms with constant conditions, COALESCE with NULL or
// constant arguments. All hold under SQL's three-valued logic.
func simplify(c *expr.Expr) *expr.Expr {
	switch c.Name {
	case expr.FnAnd:
		return simplifyLogic(c, true)
	case expr.FnOr:
		return simplifyLogic(c, false)
	case expr.FnNot:
		if len(c.Args) == 1 && c.Args[0].IsCall(expr.FnNot) && len(c.Args[0].Args) == 1 {
			return c.Args[0].Args[0]
		}
	case expr.FnCase:
		return simplifyCase(c)
	case expr.FnCoalesce:
		return simplifyCoalesce(c)
	}
	return c
}

// simplifyLogic handles AND (and=true) and OR: the dominant constant
// (FALSE for AND, TRUE for OR) decides the result whatever the others are,
// even NULL; the neutral constant drops out.
func simplifyLogic(c *expr.Expr, and bool) *expr.Expr {
	var keep []*expr.Expr
	for _, a := range c.Args {
		if isBool(a, !and) {
			return boolLit(!and)
		}
		if !isBool(a, and) {
			keep = append(keep, a)
		}
	}
	switch len(keep) {
	case 0:
		return boolLit(and)
	case 1:
		return keep[0]
	case len(c.Args):
		return c
	}
	out := *c
	out.Args = keep
	return &out
}

// simplifyCase drops arms whose condition is FALSE or NULL (never taken)
// and cuts at the first TRUE condition, whose value becomes the ELSE.
func simplifyCase(c *expr.Expr) *expr.Expr {
	n := len(c.Args)
	if n%2 == 0 {
		return c // not the bound shape [c1, v1, ..., else]; leave it be
	}
	var arms []*expr.Expr
	for i := 0; i+1 < n; i += 2 {
		cond, val := c.Args[i], c.Args[i+1]
		if isFalse(cond) || isNullLit(cond) {
			continue
		}
		if isTrue(cond) {
			return rebuildCase(c, arms, val)
		}
		arms = append(arms, cond, val)
	}
	return rebuildCase(c, arms, c.Args[n-1])
}

func rebuildCase(c *expr.Expr, arms []*expr.Expr, els *expr.Expr) *expr.Expr {
	if len(arms) == 0 {
		return els
	}
	if len(arms)+1 == len(c.Args) {
		return c
	}
	out := *c
	out.Args = append(arms, els)
	return &out
}

// simplifyCoalesce drops NULL literals and everything after the first
// non-NULL literal, which always answers.
func simplifyCoalesce(c *expr.Expr) *expr.Expr {
	var args []*expr.Expr
	for _, a := range c.Args {
		if isNullLit(a) {
			continue
		}
		args = append(args, a)
		if a.IsLiteral() {
			break
		}
	}
	switch len(args) {
	case 0:
		return expr.Lit(types.NullValue(c.Type))
	case 1:
		return args[0]
	case len(c.Args):
		return c
	}
	out := *c
	out.Args = args
	return &out
}
