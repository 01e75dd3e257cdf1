package optimizer

import (
	"fmt"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/types"
)

// FoldConstants replaces column-free subtrees by literals and simplifies
// AND, OR, NOT, CASE and COALESCE with constant operands; a Filter whose
// condition becomes TRUE disappears, as does a join filter of TRUE.
//
// A constant that fails to evaluate is reported at plan time (wrapping
// ErrConstantFails) when every row evaluates it anyway: CAST('x' AS int32)
// in a projection would fail the job on its first row, so failing before
// any task starts is friendlier. Under a CASE branch, a COALESCE fallback,
// the right operand of AND/OR, or in a join filter (only run on matching
// pairs) it may never run, so it is left unfolded for the executor.
// Plugin calls are never folded: the planner does not run plugins.
var FoldConstants = Rule{Name: "fold_constants", Apply: foldConstants}

func foldConstants(n logical.Node, _ Config) (logical.Node, error) {
	return logical.Transform(n, foldNode)
}

func foldNode(n logical.Node) (logical.Node, error) {
	switch t := n.(type) {
	case *logical.Filter:
		return foldFilter(t)
	case *logical.Project:
		return foldProject(t)
	case *logical.Aggregate:
		return foldAggregate(t)
	case *logical.Join:
		return foldJoin(t)
	case *logical.Sort:
		return foldSort(t)
	case *logical.Scan:
		return foldScan(t)
	}
	return n, nil
}

func foldFilter(f *logical.Filter) (logical.Node, error) {
	cond, err := foldExpr(f.Cond, true)
	if err != nil {
		return nil, err
	}
	if isTrue(cond) {
		return f.Input, nil
	}
	return &logical.Filter{Input: f.Input, Cond: cond}, nil
}

func foldProject(p *logical.Project) (logical.Node, error) {
	exprs, err := foldAll(p.Exprs)
	if err != nil {
		return nil, err
	}
	c := *p
	c.Exprs = exprs
	return &c, nil
}

func foldAggregate(a *logical.Aggregate) (logical.Node, error) {
	groups, err := foldAll(a.GroupBy)
	if err != nil {
		return nil, err
	}
	c := *a
	c.GroupBy = groups
	c.Aggs = append([]logical.AggExpr(nil), a.Aggs...)
	for i, ag := range c.Aggs {
		if ag.Arg == nil {
			continue
		}
		if c.Aggs[i].Arg, err = foldExpr(ag.Arg, true); err != nil {
			return nil, err
		}
	}
	return &c, nil
}

func foldJoin(j *logical.Join) (logical.Node, error) {
	c := *j
	var err error
	if c.LeftKeys, err = foldAll(j.LeftKeys); err != nil {
		return nil, err
	}
	if c.RightKeys, err = foldAll(j.RightKeys); err != nil {
		return nil, err
	}
	if j.Filter != nil {
		if c.Filter, err = foldExpr(j.Filter, false); err != nil {
			return nil, err
		}
		if isTrue(c.Filter) {
			c.Filter = nil
		}
	}
	return &c, nil
}

func foldSort(s *logical.Sort) (logical.Node, error) {
	c := *s
	c.Keys = append([]logical.SortKey(nil), s.Keys...)
	for i, k := range c.Keys {
		e, err := foldExpr(k.Expr, true)
		if err != nil {
			return nil, err
		}
		c.Keys[i].Expr = e
	}
	return &c, nil
}

func foldScan(s *logical.Scan) (logical.Node, error) {
	c := *s
	c.Filters = nil
	for _, f := range s.Filters {
		e, err := foldExpr(f, true)
		if err != nil {
			return nil, err
		}
		for _, conj := range conjuncts(e) {
			if !isTrue(conj) {
				c.Filters = append(c.Filters, conj)
			}
		}
	}
	return &c, nil
}

func foldAll(es []*expr.Expr) ([]*expr.Expr, error) {
	out := make([]*expr.Expr, len(es))
	for i, e := range es {
		f, err := foldExpr(e, true)
		if err != nil {
			return nil, err
		}
		out[i] = f
	}
	return out, nil
}

// foldExpr folds e bottom-up. strict says every row evaluates e, so a
// failing constant is an error rather than something to leave alone.
func foldExpr(e *expr.Expr, strict bool) (*expr.Expr, error) {
	if e.Kind != expr.KindCall {
		return e, nil
	}
	c := *e
	c.Args = make([]*expr.Expr, len(e.Args))
	for i, a := range e.Args {
		fa, err := foldExpr(a, strict && !conditionalArg(e.Name, i))
		if err != nil {
			return nil, err
		}
		c.Args[i] = fa
	}
	if allLiterals(c.Args) && !isPlugin(c.Name) {
		return foldCall(&c, strict)
	}
	return simplify(&c), nil
}

// conditionalArg reports whether argument i of function fn may go
// unevaluated for a row: CASE beyond the first condition, COALESCE
// fallbacks, and AND/OR right operands (evaluators may short-circuit).
func conditionalArg(fn string, i int) bool {
	switch fn {
	case expr.FnCase, expr.FnCoalesce, expr.FnAnd, expr.FnOr:
		return i > 0
	}
	return false
}

func foldCall(c *expr.Expr, strict bool) (*expr.Expr, error) {
	v, err := foldFn(c)
	switch {
	case err != nil && strict:
		return nil, fmt.Errorf("%w: %s: %w", ErrConstantFails, c, err)
	case err != nil:
		return c, nil
	}
	return literalOf(v, c), nil
}

// literalOf turns a folded value into a literal of c's bound type. A folder
// result of another type means folder and binder disagree; keeping the call
// is the safe answer.
func literalOf(v types.Value, c *expr.Expr) *expr.Expr {
	if v.Null {
		v = types.NullValue(c.Type)
	}
	if v.Type != c.Type {
		return c
	}
	return expr.Lit(v)
}

// refold folds an expression another rule just built by substitution. It
// never fails: moving an expression must not turn a guarded constant into
// a plan-time error, so a failing constant just stays.
func refold(e *expr.Expr) *expr.Expr {
	if f, err := foldExpr(e, false); err == nil {
		return f
	}
	return e
}
