package sqlfront

import (
	"strings"

	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/plan/logical"
)

// Window function calls travel in expressions as placeholder columns named
// winPrefix+n, registered on the Query like subqueries. They are computed
// after grouping and HAVING, before QUALIFY, DISTINCT and ORDER BY, as SQL
// orders the clauses: one Window node per distinct (PARTITION BY, ORDER
// BY), each adding its functions' columns under their placeholder names.
const winPrefix = "$win"

func isWindowRef(e *expr.Expr) bool {
	return e.Kind == expr.KindColumn && strings.HasPrefix(e.Name, winPrefix)
}

// windowCall is one window function call: the function with its
// arguments and its window, expressions unbound over the query's
// post-aggregation scope (aggregate calls allowed, as in SQL).
type windowCall struct {
	name        string
	spec        logical.WindowFuncSpec // Args unbound; Alias unset
	partitionBy []*expr.Expr
	orderBy     []OrderItem
	// intervals are INTERVAL offsets of the frame's start and end, set
	// once the order key's type is known.
	intervals [2]*frameInterval
}

// hasWindow reports whether e calls a window function.
func hasWindow(e *expr.Expr) bool {
	found := false
	if e != nil {
		expr.Walk(e, func(n *expr.Expr) bool {
			found = found || isWindowRef(n)
			return !found
		})
	}
	return found
}

// windowRefs lists the window calls es refer to, in first-use order.
func (p *planner) windowRefs(es ...*expr.Expr) []*windowCall {
	var out []*windowCall
	seen := map[string]bool{}
	for _, e := range es {
		if e == nil {
			continue
		}
		expr.Walk(e, func(n *expr.Expr) bool {
			if isWindowRef(n) && !seen[n.Name] {
				seen[n.Name] = true
				if w := p.q.wins[n.Name]; w != nil {
					out = append(out, w)
				}
			}
			return true
		})
	}
	return out
}

// rewrittenWindow is a window call with its expressions rewritten onto the
// node windows are computed over (the Aggregate's output when grouping).
type rewrittenWindow struct {
	call  *windowCall
	args  []*expr.Expr
	part  []*expr.Expr
	order []*expr.Expr
}

// prepareWindows rewrites the window calls of the output, ORDER BY and
// QUALIFY while the aggregation can still take in the aggregates they
// use; windows runs them once the node exists.
func (p *planner) prepareWindows(out *output, qualify *expr.Expr) ([]*rewrittenWindow, error) {
	es := append([]*expr.Expr{qualify}, out.exprs...)
	for _, k := range out.order {
		es = append(es, k.expr)
	}
	calls := p.windowRefs(es...)
	rws := make([]*rewrittenWindow, 0, len(calls))
	for _, c := range calls {
		rw := &rewrittenWindow{call: c}
		var err error
		if rw.args, err = p.rewriteAll("select", c.spec.Args); err != nil {
			return nil, err
		}
		if rw.part, err = p.rewriteAll("select", c.partitionBy); err != nil {
			return nil, err
		}
		for _, o := range c.orderBy {
			if o.Ordinal != 0 {
				return nil, clauseErr("select", -1, unsupported("a position in a window's ORDER BY is not supported; name the expression"))
			}
			e, err := p.rewrite("select", -1, o.Expr)
			if err != nil {
				return nil, err
			}
			rw.order = append(rw.order, e)
		}
		rws = append(rws, rw)
	}
	return rws, nil
}

func (p *planner) rewriteAll(clause string, es []*expr.Expr) ([]*expr.Expr, error) {
	out := make([]*expr.Expr, len(es))
	for i, e := range es {
		r, err := p.rewrite(clause, -1, e)
		if err != nil {
			return nil, err
		}
		out[i] = r
	}
	return out, nil
}

func nullsFirst(o OrderItem) bool {
	if o.NullsSet {
		return o.NullsFirst
	}
	return logical.DefaultNullsFirst(o.Desc)
}

// windows stacks the Window nodes of the calls on base (one per distinct
// window spec, those sharing a PARTITION BY next to each other so that
// one shuffle serves them); every function's column is named after its
// placeholder.
func (p *planner) windows(base logical.Node, rws []*rewrittenWindow) (logical.Node, error) {
	if len(rws) == 0 {
		return base, nil
	}
	calls := make([]logical.WindowCall, len(rws))
	for i, rw := range rws {
		keys := make([]logical.SortKey, len(rw.order))
		for j, e := range rw.order {
			o := rw.call.orderBy[j]
			keys[j] = logical.SortKey{Expr: e, Desc: o.Desc, NullsFirst: nullsFirst(o)}
		}
		s := rw.call.spec
		s.Args = rw.args
		s.Alias = rw.call.name
		if err := p.frameIntervals(&s, rw.call, base, keys); err != nil {
			return nil, clauseErr("select", -1, err)
		}
		calls[i] = logical.WindowCall{PartitionBy: rw.part, OrderBy: keys, Func: s}
	}
	node, _, err := logical.PlanWindows(base, calls, p.funcs)
	if err != nil {
		return nil, clauseErr("select", -1, err)
	}
	return node, nil
}

// frameIntervals puts INTERVAL frame offsets in the order key's domain.
func (p *planner) frameIntervals(s *logical.WindowFuncSpec, call *windowCall, base logical.Node, keys []logical.SortKey) error {
	if call.intervals[0] == nil && call.intervals[1] == nil {
		return nil
	}
	if len(keys) != 1 {
		return planErr("a RANGE frame with an INTERVAL offset needs exactly one ORDER BY key")
	}
	k, err := expr.Bind(keys[0].Expr, base.Schema(), p.funcs)
	if err != nil {
		return err
	}
	fr := *s.Frame
	for i, b := range []*logical.FrameBound{&fr.Start, &fr.End} {
		if iv := call.intervals[i]; iv != nil {
			if b.Offset, err = iv.offsetFor(k.Type); err != nil {
				return err
			}
		}
	}
	s.Frame = &fr
	return nil
}
