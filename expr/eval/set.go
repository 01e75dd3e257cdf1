package eval

import (
	"context"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/expr"
)

// Set is several expressions compiled together and evaluated over the same
// batches, such as the columns of a projection or the arguments of an
// aggregation. A subtree that occurs more than once among them, in places
// every evaluation reaches (not in a CASE branch, a later COALESCE argument
// or the short-circuited operands of AND/OR), and that reads a column and
// calls no plugin, is evaluated once per batch and its result shared.
// Results and errors are those of evaluating each expression on its own,
// in order. A Set is safe for concurrent use.
type Set struct {
	evs   []*Evaluator
	slots int // shared subtrees
}

// SetError is the error of Set.Eval: the expression at Index failed.
type SetError struct {
	Index int
	Err   error
}

func (e *SetError) Error() string { return e.Err.Error() }
func (e *SetError) Unwrap() error { return e.Err }

// CompileSet compiles es as a Set.
func CompileSet(es []*expr.Expr, opts Options) (*Set, error) {
	counts := map[string]int{}
	for _, e := range es {
		countShared(e, counts)
	}
	shared := map[string]*memoNode{}
	for k, n := range counts {
		if n > 1 {
			shared[k] = nil
		}
	}
	s := &Set{}
	for _, e := range es {
		c := &compiler{opts: &opts, fold: true, shared: shared, slots: &s.slots, uncond: true}
		root, _, err := c.compile(e)
		if err != nil {
			return nil, fmt.Errorf("compile %s: %w", e, err)
		}
		s.evs = append(s.evs, &Evaluator{root: root, typ: e.Type, opts: opts, src: e.String()})
	}
	return s, nil
}

// Len is the number of expressions.
func (s *Set) Len() int { return len(s.evs) }

// Evaluator returns expression i on its own (no sharing).
func (s *Set) Evaluator(i int) *Evaluator { return s.evs[i] }

// Eval evaluates every expression over rec, in order, and returns one
// array per expression; the caller releases them. On error nothing is
// returned and the error is a *SetError.
func (s *Set) Eval(ctx context.Context, rec arrow.RecordBatch) ([]arrow.Array, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var memo []memoSlot
	if s.slots > 0 {
		memo = make([]memoSlot, s.slots)
		defer func() {
			for _, m := range memo {
				m.d.release()
			}
		}()
	}
	out := make([]arrow.Array, len(s.evs))
	for i, ev := range s.evs {
		b := newBatch(ctx, rec.Columns(), int(rec.NumRows()), &ev.opts)
		b.memo = memo
		d, err := ev.root.eval(b)
		if err != nil {
			for _, a := range out[:i] {
				a.Release()
			}
			return nil, &SetError{Index: i, Err: err}
		}
		if d.arr == nil {
			out[i] = MakeArray(typedConst(d.val, ev.typ), b.n, b.mem)
		} else {
			out[i] = d.arr
		}
	}
	return out, nil
}

// memoNode evaluates a shared subtree once per Set.Eval: the first
// evaluation over the Set's batch is kept in slot, later ones reuse it.
// Over any other batch (sub-batches of lazy operands, folding) it just
// evaluates.
type memoNode struct {
	node
	slot int
}

func (m *memoNode) eval(b *batch) (datum, error) {
	if b.memo == nil {
		return m.node.eval(b)
	}
	if s := &b.memo[m.slot]; s.ok {
		return retain(s.d), nil
	}
	d, err := m.node.eval(b)
	if err != nil {
		return d, err
	}
	b.memo[m.slot] = memoSlot{d: retain(d), ok: true}
	return d, nil
}

// memoSlot is one shared subtree's result for the current batch.
type memoSlot struct {
	d  datum
	ok bool
}

// countShared counts, by canonical key, the candidate subtrees of e in
// places every evaluation of e reaches.
func countShared(e *expr.Expr, counts map[string]int) {
	if e.Kind != expr.KindCall {
		return
	}
	if ok, _ := shareable(e); ok {
		counts[shareKey(e)]++
	}
	for i, a := range e.Args {
		if unconditionalArg(e, i) {
			countShared(a, counts)
		}
	}
}

// shareable: e is a call that reads a column and calls no plugin.
func shareable(e *expr.Expr) (bool, bool) {
	cols, plugin := false, false
	expr.Walk(e, func(x *expr.Expr) bool {
		cols = cols || x.Kind == expr.KindColumn
		plugin = plugin || (x.Kind == expr.KindCall && isPluginName(x.Name))
		return !plugin
	})
	return e.Kind == expr.KindCall && cols && !plugin, plugin
}

// unconditionalArg reports whether argument i of call e is evaluated over
// the whole batch whenever e is.
func unconditionalArg(e *expr.Expr, i int) bool {
	switch e.Name {
	case expr.FnCase, expr.FnCoalesce, expr.FnAnd, expr.FnOr:
		return i == 0
	}
	return true
}

// shareKey is a canonical key of a bound tree: every node with its type.
func shareKey(e *expr.Expr) string {
	var sb strings.Builder
	writeKey(&sb, e)
	return sb.String()
}

func writeKey(sb *strings.Builder, e *expr.Expr) {
	switch e.Kind {
	case expr.KindColumn:
		fmt.Fprintf(sb, "#%d", e.Index)
	case expr.KindLiteral:
		sb.WriteString(e.Value.String())
	case expr.KindCall:
		sb.WriteString(e.Name)
		sb.WriteByte('(')
		for i, a := range e.Args {
			if i > 0 {
				sb.WriteByte(',')
			}
			writeKey(sb, a)
		}
		sb.WriteByte(')')
	}
	sb.WriteByte(':')
	sb.WriteString(e.Type.String())
	if e.Kind == expr.KindLiteral {
		sb.WriteByte('/')
		sb.WriteString(e.Value.Type.String())
	}
}
