package optimizer

import (
	"strings"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/types"
)

// conjuncts splits nested ANDs into their operands, in order.
func conjuncts(e *expr.Expr) []*expr.Expr {
	if e == nil {
		return nil
	}
	if !e.IsCall(expr.FnAnd) {
		return []*expr.Expr{e}
	}
	var out []*expr.Expr
	for _, a := range e.Args {
		out = append(out, conjuncts(a)...)
	}
	return out
}

// conjoin ANDs es left-deep; nil for none.
func conjoin(es []*expr.Expr) *expr.Expr {
	if len(es) == 0 {
		return nil
	}
	out := es[0]
	for _, e := range es[1:] {
		c := expr.Call(expr.FnAnd, out, e)
		c.Type = types.BoolType
		c.Nullable = out.Nullable || e.Nullable
		out = c
	}
	return out
}

func boolLit(b bool) *expr.Expr { return expr.Lit(types.BoolValue(b)) }

func isBool(e *expr.Expr, b bool) bool {
	return e.IsLiteral() && !e.Value.Null && e.Value.Type.ID == types.Bool && e.Value.B == b
}

func isTrue(e *expr.Expr) bool  { return isBool(e, true) }
func isFalse(e *expr.Expr) bool { return isBool(e, false) }

func isNullLit(e *expr.Expr) bool { return e.IsLiteral() && e.Value.Null }

// isPlugin reports whether a function is a plugin (UDF) call: a subprocess
// round trip, possibly nondeterministic, so never duplicated, folded or
// handed to a scan.
func isPlugin(name string) bool { return strings.Contains(name, ".") }

// hasPlugin reports whether e calls a plugin function anywhere.
func hasPlugin(e *expr.Expr) bool {
	found := false
	expr.Walk(e, func(x *expr.Expr) bool {
		found = x.Kind == expr.KindCall && isPlugin(x.Name)
		return !found
	})
	return found
}

// colRange returns the smallest and largest column ordinal e reads; ok is
// false when e reads no column.
func colRange(e *expr.Expr) (lo, hi int, ok bool) {
	cols := expr.Columns(e)
	if len(cols) == 0 {
		return 0, 0, false
	}
	lo, hi = cols[0], cols[0]
	for _, c := range cols[1:] {
		lo, hi = min(lo, c), max(hi, c)
	}
	return lo, hi, true
}

// mapColumns rebuilds e with every column reference replaced by fn(ref).
// A call over a replacement that may be NULL is marked nullable: moving a
// predicate onto another column (a join key of the other side) can make it
// so, and a nullable flag that is too wide costs nothing, one too narrow
// could reach a file schema.
func mapColumns(e *expr.Expr, fn func(*expr.Expr) *expr.Expr) *expr.Expr {
	if e.Kind == expr.KindColumn {
		return fn(e)
	}
	c := *e
	if e.Args != nil {
		c.Args = make([]*expr.Expr, len(e.Args))
		for i, a := range e.Args {
			c.Args[i] = mapColumns(a, fn)
			c.Nullable = c.Nullable || (c.Args[i].Nullable && !neverNull(c.Name))
		}
	}
	return &c
}

func neverNull(fn string) bool { return fn == expr.FnIsNull || fn == expr.FnIsNotNull }

// rebind moves e onto schema s: column i becomes column to(i) of s, taking
// that column's name, type and nullability, and its qualifier if it has one
// (Projects a rule inserts may have none; the old qualifier keeps explain
// readable). An ordinal mapped out of range stays invalid on purpose, so
// Validate reports the rule's bug.
func rebind(e *expr.Expr, s *types.Schema, to func(int) int) *expr.Expr {
	return mapColumns(e, func(c *expr.Expr) *expr.Expr {
		i := to(c.Index)
		if i < 0 || i >= s.Len() {
			bad := *c
			bad.Index = expr.Unbound
			return &bad
		}
		b := expr.BoundCol(i, s.Fields[i])
		if b.Qualifier == "" {
			b.Qualifier = c.Qualifier
		}
		return b
	})
}

func same(i int) int { return i }

// rebindAll rebinds each of es with the same mapping.
func rebindAll(es []*expr.Expr, s *types.Schema, to func(int) int) []*expr.Expr {
	out := make([]*expr.Expr, len(es))
	for i, e := range es {
		out[i] = rebind(e, s, to)
	}
	return out
}

// substitute replaces column i of e by a copy of defs[i]: it moves an
// expression over a Project or Aggregate onto that node's input.
func substitute(e *expr.Expr, defs []*expr.Expr) *expr.Expr {
	return mapColumns(e, func(c *expr.Expr) *expr.Expr { return defs[c.Index].Clone() })
}

// readsOnlyPure reports whether every column e reads is defined by a
// plugin-free expression of defs, so substituting them is cheap and safe.
func readsOnlyPure(e *expr.Expr, defs []*expr.Expr) bool {
	for _, c := range expr.Columns(e) {
		if c < 0 || c >= len(defs) || hasPlugin(defs[c]) {
			return false
		}
	}
	return true
}

// allLiterals reports whether every expression is a literal.
func allLiterals(es []*expr.Expr) bool {
	for _, e := range es {
		if !e.IsLiteral() {
			return false
		}
	}
	return true
}
