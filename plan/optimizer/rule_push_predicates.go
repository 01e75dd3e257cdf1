package optimizer

import (
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
)

// PushPredicates splits filter conditions into conjuncts and moves each as
// deep as it stays correct:
//   - through Alias, Sort, Distinct, Replicate, Repartition and Coalesce
//     (same columns, a row is kept or dropped with all its copies);
//   - through Project by substituting the projected expressions, unless one
//     it reads calls a plugin (that would run the plugin twice);
//   - into every Union input;
//   - below an Aggregate when it reads group columns only (and there is a
//     GROUP BY: a global aggregate yields a row even for no input);
//   - into join inputs and join conditions, see pushThroughJoin;
//   - below a Window when it reads PARTITION BY key columns only (window.go);
//   - into Scan.Filters, dropping the Filter: the scan applies them exactly
//     (plugin calls stay in a Filter above; scans do not run plugins).
//
// Never through Limit: filtering before it changes which rows it keeps.
var PushPredicates = Rule{Name: "push_predicates", Apply: pushPredicates}

func pushPredicates(n logical.Node, _ Config) (logical.Node, error) {
	return pushDown(n, nil), nil
}

// pushDown returns a tree equivalent to Filter(AND(preds), n) with each of
// preds (bound against n's output) placed as deep as it goes.
func pushDown(n logical.Node, preds []*expr.Expr) logical.Node {
	switch t := n.(type) {
	case *logical.Filter:
		all := append(append([]*expr.Expr(nil), preds...), conjuncts(t.Cond)...)
		return pushDown(t.Input, all)
	case *logical.Scan:
		return pushIntoScan(t, preds)
	case *logical.Alias, *logical.Sort, *logical.Distinct, *logical.Replicate, *logical.Repartition, *logical.Coalesce:
		return pushThroughSameColumns(n, preds)
	case *logical.Project:
		return pushThroughProject(t, preds)
	case *logical.Union:
		return pushIntoUnion(t, preds)
	case *logical.Aggregate:
		return pushThroughAggregate(t, preds)
	case *logical.Join:
		return pushThroughJoin(t, preds)
	case *logical.Window:
		return pushThroughWindow(t, preds)
	}
	return stopAt(n, preds)
}

// stopAt keeps preds above n and starts afresh in n's inputs.
func stopAt(n logical.Node, preds []*expr.Expr) logical.Node {
	kids := n.Children()
	if len(kids) > 0 {
		nk := make([]logical.Node, len(kids))
		for i, k := range kids {
			nk[i] = pushDown(k, nil)
		}
		n = n.WithChildren(nk...)
	}
	return withFilter(n, preds)
}

func withFilter(n logical.Node, preds []*expr.Expr) logical.Node {
	preds = normalizeConjuncts(preds)
	if len(preds) == 0 {
		return n
	}
	return &logical.Filter{Input: n, Cond: conjoin(preds)}
}

// normalizeConjuncts drops TRUE and repeated conjuncts and reduces a list
// with a FALSE or NULL one to just FALSE (a filter keeps TRUE rows only).
// Pushdown meets such lists when it gathers conjuncts from several filters
// after constant folding has run.
func normalizeConjuncts(preds []*expr.Expr) []*expr.Expr {
	var out []*expr.Expr
	for _, p := range preds {
		switch {
		case isFalse(p) || isNullLit(p):
			return []*expr.Expr{boolLit(false)}
		case !isTrue(p):
			out = appendUnique(out, p)
		}
	}
	return out
}

// pushThroughSameColumns handles nodes whose output column i is input
// column i (only qualifiers may differ, as under an Alias).
func pushThroughSameColumns(n logical.Node, preds []*expr.Expr) logical.Node {
	in := n.Children()[0]
	down := rebindAll(preds, in.Schema(), same)
	return n.WithChildren(pushDown(in, down))
}

func pushThroughProject(p *logical.Project, preds []*expr.Expr) logical.Node {
	var down, keep []*expr.Expr
	for _, c := range preds {
		if !readsOnlyPure(c, p.Exprs) {
			keep = append(keep, c)
			continue
		}
		down = appendSimplified(down, substitute(c, p.Exprs))
	}
	return withFilter(p.WithChildren(pushDown(p.Input, down)), keep)
}

// appendSimplified appends c once simplified: substitution can turn a
// predicate constant (a = 1 over "1 AS a"), and a TRUE one is dropped.
func appendSimplified(preds []*expr.Expr, c *expr.Expr) []*expr.Expr {
	for _, conj := range conjuncts(refold(c)) {
		if !isTrue(conj) {
			preds = append(preds, conj)
		}
	}
	return preds
}

func pushIntoUnion(u *logical.Union, preds []*expr.Expr) logical.Node {
	ins := make([]logical.Node, len(u.Inputs))
	for i, in := range u.Inputs {
		ins[i] = pushDown(in, rebindAll(preds, in.Schema(), same))
	}
	return u.WithChildren(ins...)
}

func pushThroughAggregate(a *logical.Aggregate, preds []*expr.Expr) logical.Node {
	var down, keep []*expr.Expr
	for _, c := range preds {
		if len(a.GroupBy) == 0 || !readsOnlyPure(c, a.GroupBy) {
			keep = append(keep, c)
			continue
		}
		down = appendSimplified(down, substitute(c, a.GroupBy))
	}
	return withFilter(a.WithChildren(pushDown(a.Input, down)), keep)
}

// pushIntoScan moves plugin-free preds into the scan's filters, rebound
// from the scan's output onto its table.
func pushIntoScan(s *logical.Scan, preds []*expr.Expr) logical.Node {
	c := *s
	c.Filters = append([]*expr.Expr(nil), s.Filters...)
	var keep []*expr.Expr
	for _, p := range preds {
		if hasPlugin(p) {
			keep = append(keep, p)
			continue
		}
		c.Filters = append(c.Filters, rebind(p, s.Table, tableOrdinal(s)))
	}
	c.Filters = normalizeConjuncts(c.Filters)
	return withFilter(&c, keep)
}

// tableOrdinal maps a scan's output ordinal to its table ordinal.
func tableOrdinal(s *logical.Scan) func(int) int {
	return func(i int) int {
		if s.Projection == nil {
			return i
		}
		if i < 0 || i >= len(s.Projection) {
			return -1
		}
		return s.Projection[i]
	}
}

func appendUnique(es []*expr.Expr, e *expr.Expr) []*expr.Expr {
	for _, x := range es {
		if expr.Equal(x, e) {
			return es
		}
	}
	return append(es, e)
}
