package operator

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/task"
)

// opCounter is one operator's counters in a task.
type opCounter struct {
	rows, nanos, spilled atomic.Int64
}

// measured counts the rows an operator returns and the time its Next
// takes (its inputs' time included: they run inside it).
type measured struct {
	batch.Reader
	c *opCounter
}

// Next also stops a cancelled task (a speculative copy that lost, an
// attempt that timed out) at its next batch, even in operators that do no
// I/O of their own to notice.
func (m *measured) Next(ctx context.Context) (arrow.RecordBatch, error) {
	if err := ctx.Err(); err != nil {
		return nil, context.Cause(ctx)
	}
	start := time.Now()
	rec, err := m.Reader.Next(ctx)
	m.c.nanos.Add(int64(time.Since(start)))
	if rec != nil {
		m.c.rows.Add(rec.NumRows())
	}
	return rec, err
}

// NextSel forwards a selection from the operator (selection.go),
// counting the selected rows.
func (m *measured) NextSel(ctx context.Context) (arrow.RecordBatch, []int32, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, context.Cause(ctx)
	}
	start := time.Now()
	rec, sel, err := nextSel(ctx, m.Reader)
	m.c.nanos.Add(int64(time.Since(start)))
	switch {
	case sel != nil:
		m.c.rows.Add(int64(len(sel)))
	case rec != nil:
		m.c.rows.Add(rec.NumRows())
	}
	return rec, sel, err
}

// planOps numbers the fragment's operators in pre-order, as
// physical.Format prints them.
func (e *Env) planOps(root *physical.Node) {
	e.ops = map[*physical.Node]*opCounter{}
	e.opOrder = nil
	var walk func(*physical.Node)
	walk = func(n *physical.Node) {
		e.ops[n] = &opCounter{}
		e.opOrder = append(e.opOrder, n)
		for _, c := range n.Inputs {
			walk(c)
		}
	}
	walk(root)
}

// measure wraps the reader built for n, if n is in the planned fragment.
func (e *Env) measure(n *physical.Node, r batch.Reader) batch.Reader {
	if c := e.ops[n]; c != nil && r != nil {
		return &measured{Reader: r, c: c}
	}
	return r
}

// spillMeter counts one operator's spilled bytes into its own counter (if
// it is in the planned fragment) and the task's.
type spillMeter struct {
	env *Env
	op  *atomic.Int64
}

// spillMeter returns the meter of the operator built for n.
func (e *Env) spillMeter(n *physical.Node) spillMeter {
	m := spillMeter{env: e}
	if c := e.ops[n]; c != nil && n != nil {
		m.op = &c.spilled
	}
	return m
}

func (m spillMeter) add(n int64) {
	m.env.Spilled.Add(n)
	if m.op != nil {
		m.op.Add(n)
	}
}

// Operators returns each operator's rows, time and spilled bytes, in
// pre-order (a map task's shuffle writer spills count in the task's total
// only); operators
// a task never built (another union branch) have zeros.
func (e *Env) Operators() []task.OperatorMetrics {
	out := make([]task.OperatorMetrics, len(e.opOrder))
	for i, n := range e.opOrder {
		c := e.ops[n]
		out[i] = task.OperatorMetrics{Rows: c.rows.Load(), Time: time.Duration(c.nanos.Load()), Spilled: c.spilled.Load()}
	}
	return out
}
