package operator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/task"
)

// windowOp computes window functions over an input sorted by partition
// keys, then order keys (the planner puts a sort below it). It reads the
// input as a stream of rows cut into partitions and peer groups by
// comparing neighbouring keys, and evaluates rows as soon as every
// function can: at once (LookNone), at the end of each peer group
// (LookPeers), or at the end of each partition (LookPartition). Between
// evaluations it keeps only the rows some function may still read (a lag's
// offset, a sliding frame's width), so backward-looking functions run in
// bounded memory whatever the partition size; whole partitions are held
// only for functions that need them, within the task's memory budget.
// DuckDB's PhysicalWindow and DataFusion's BoundedWindowAggExec work the
// same way: per-row partition and peer boundaries, frames as [lo, hi)
// ranges that only move forward.
type windowOp struct {
	in      batch.Reader
	schema  *arrow.Schema
	spec    *physical.WindowSpec
	env     *Env
	nIn     int
	partEvs []*eval.Evaluator
	ordEvs  []*eval.Evaluator
	argEvs  []*eval.Evaluator
	funcs   []winFunc
	look    logical.Lookahead

	prev         []arrow.Array // the last row's partition then order keys
	pending      []pendingRows
	pendingBytes int64
	queue        []arrow.RecordBatch // input columns of rows [done, total), not copied
	queueBytes   int64
	buf          winBuf
	bufBytes     int64
	keep         int64 // rows of buf before this are no longer read
	track        rowTracker
	total        int64 // rows read
	done         int64 // rows evaluated and emitted
	ready        int64 // rows before this can be evaluated
	lastPart     int64 // the last partition start seen
	lastPeer     int64 // the last peer group start seen
	peers        bool  // some function reads the rest of a row's peer group
	rowsAhead    int64 // the farthest some function reads past a row
	eof          bool
	out          []arrow.RecordBatch
}

// pendingRows is the order keys and function arguments of an input batch
// not yet moved into the buffer, with its row flags. The batch's own
// columns wait in the queue: they are only passed through, so they are
// never copied.
type pendingRows struct {
	rec              arrow.RecordBatch
	newPart, newPeer []bool
}

// winFunc is one window function's evaluator. Calls come in row order.
type winFunc interface {
	// eval returns the values of rows [b.from, b.to).
	eval(b *winBuf) (arrow.Array, error)
	// need is the lowest absolute row a later eval may read
	// (math.MaxInt64: none).
	need() int64
}

func newWindow(n *physical.Node, in batch.Reader, env *Env) (batch.Reader, error) {
	spec := n.Window
	w := &windowOp{in: in, schema: n.Schema.Arrow(), spec: spec, env: env, nIn: n.Inputs[0].Schema.Len(), look: logical.WindowLookahead(spec.Funcs)}
	for _, f := range spec.Funcs {
		w.peers = w.peers || f.Lookahead() == logical.LookPeers
		w.rowsAhead = max(w.rowsAhead, f.RowsAhead())
	}
	opts := eval.Options{UDF: env.UDF}
	var err error
	if w.partEvs, err = compileAll(spec.PartitionBy, opts); err != nil {
		return nil, task.AsFatal(err)
	}
	ordExprs := make([]*expr.Expr, 0, len(spec.OrderBy))
	for _, k := range spec.OrderBy {
		ordExprs = append(ordExprs, k.Expr)
	}
	if w.ordEvs, err = compileAll(ordExprs, opts); err != nil {
		return nil, task.AsFatal(err)
	}
	next := len(spec.OrderBy)
	for _, f := range spec.Funcs {
		evs, err := compileAll(f.Args, opts)
		if err != nil {
			return nil, task.AsFatal(err)
		}
		w.argEvs = append(w.argEvs, evs...)
		cols := make([]int, len(f.Args))
		for i := range cols {
			cols[i] = next + i
		}
		next += len(cols)
		wf, err := newWinFunc(f, cols, 0, spec.OrderBy)
		if err != nil {
			return nil, task.AsFatal(fmt.Errorf("window %s: %w", f.Name, err))
		}
		w.funcs = append(w.funcs, wf)
	}
	return w, nil
}

func (w *windowOp) Schema() *arrow.Schema { return w.schema }

func (w *windowOp) Next(ctx context.Context) (arrow.RecordBatch, error) {
	for len(w.out) == 0 {
		if w.eof {
			return nil, io.EOF
		}
		rec, err := w.in.Next(ctx)
		switch {
		case err == io.EOF:
			w.eof, w.ready = true, w.total
		case err != nil:
			return nil, err
		default:
			if err := w.arrive(ctx, rec); err != nil {
				return nil, err
			}
		}
		if w.ready > w.done {
			if err := w.evaluate(); err != nil {
				return nil, err
			}
		}
		if err := w.checkMemory(); err != nil {
			return nil, err
		}
	}
	rec := w.out[0]
	w.out = w.out[1:]
	return rec, nil
}

// arrive evaluates keys and arguments of an input batch, flags its
// partition and peer starts, and moves the ready mark.
func (w *windowOp) arrive(ctx context.Context, rec arrow.RecordBatch) error {
	defer rec.Release()
	n := int(rec.NumRows())
	if n == 0 {
		return nil
	}
	pk, err := evalAll(ctx, w.partEvs, rec)
	if err != nil {
		return evalFailed(err)
	}
	defer releaseAll(pk)
	ok, err := evalAll(ctx, w.ordEvs, rec)
	if err != nil {
		return evalFailed(err)
	}
	args, err := evalAll(ctx, w.argEvs, rec)
	if err != nil {
		releaseAll(ok)
		return evalFailed(err)
	}
	p := pendingRows{newPart: make([]bool, n), newPeer: make([]bool, n)}
	w.flag(pk, ok, p)
	cols := append(append([]arrow.Array(nil), ok...), args...)
	p.rec = array.NewRecordBatch(schemaOf(cols), cols, int64(n))
	releaseAll(ok)
	releaseAll(args)
	w.pending = append(w.pending, p)
	w.pendingBytes += heldBytes(p.rec)
	inCols := rec.Columns()[:w.nIn]
	in := array.NewRecordBatch(schemaOf(inCols), inCols, int64(n))
	w.queue = append(w.queue, in)
	w.queueBytes += heldBytes(in)
	w.advanceReady(p)
	w.total += int64(n)
	return nil
}

// flag marks where partitions and peer groups start, comparing each row
// with the one before (the previous batch's last row for the first).
func (w *windowOp) flag(pk, ok []arrow.Array, p pendingRows) {
	keys := append(append([]arrow.Array(nil), pk...), ok...)
	np := len(pk)
	cmps := make([]rowCmp, len(keys))
	for i, k := range keys {
		cmps[i] = columnCmp(k)
	}
	for i := range p.newPart {
		for c := range keys {
			var differ bool
			switch {
			case i > 0:
				differ = cmps[c](i-1, i) != 0
			case w.prev == nil:
				differ = true
			default:
				differ = cellCompare(w.prev[c], 0, keys[c], 0) != 0
			}
			if differ {
				p.newPeer[i] = true
				if c < np || (i == 0 && w.prev == nil) {
					p.newPart[i] = true
				}
				break
			}
		}
	}
	if w.prev == nil && len(keys) == 0 {
		p.newPart[0], p.newPeer[0] = true, true
	}
	releaseAll(w.prev)
	last := int64(len(p.newPart) - 1)
	w.prev = sliceCols(keys, int(last), int(last+1))
}

// advanceReady moves the ready mark past the rows of p whose values every
// function can compute now: rows of finished partitions always; within the
// last partition, unless some function needs it whole, rows before the
// last peer group (when peers matter) and at least rowsAhead rows from the
// end of the input read so far.
func (w *windowOp) advanceReady(p pendingRows) {
	for i := len(p.newPart) - 1; i >= 0; i-- {
		if p.newPeer[i] {
			w.lastPeer = max(w.lastPeer, w.total+int64(i))
		}
		if p.newPart[i] {
			w.lastPart = max(w.lastPart, w.total+int64(i))
			break
		}
	}
	end := w.total + int64(len(p.newPart))
	ready := w.lastPart
	if w.look != logical.LookPartition {
		within := end - w.rowsAhead
		if w.peers {
			within = min(within, w.lastPeer)
		}
		ready = max(ready, within)
	}
	w.ready = max(w.ready, ready)
}

// evaluate moves the pending rows into the buffer, computes rows
// [done, ready) and queues them as output.
func (w *windowOp) evaluate() error {
	if err := w.materialize(); err != nil {
		return task.AsFatal(err)
	}
	b := &w.buf
	w.track.context(b, w.done, w.ready, w.eof)
	var vals []arrow.Array
	defer func() { releaseAll(vals) }()
	for _, f := range w.funcs {
		col, err := f.eval(b)
		if err != nil {
			return evalFailed(err)
		}
		vals = append(vals, col)
	}
	w.emit(vals)
	w.done = w.ready
	w.keep = w.done
	for _, f := range w.funcs {
		w.keep = min(w.keep, f.need())
	}
	w.keep = max(w.keep, b.base)
	return nil
}

// emit queues rows [done, ready): the input columns as they came, cut at
// input batch boundaries, with the matching slices of the function values.
func (w *windowOp) emit(vals []arrow.Array) {
	pos := w.done
	for pos < w.ready {
		in := w.queue[0]
		start := w.total - w.queued() // absolute row of in's first row
		from, to := pos-start, min(w.ready-start, in.NumRows())
		cols := sliceCols(in.Columns(), int(from), int(to))
		cols = append(cols, sliceCols(vals, int(pos-w.done), int(pos-w.done+to-from))...)
		rec := recordOf(cols, to-from)
		w.out = append(w.out, splitRecord(rec, w.env.batchRows())...)
		rec.Release()
		pos += to - from
		if to == in.NumRows() {
			w.queueBytes -= heldBytes(in)
			in.Release()
			w.queue = w.queue[1:]
		}
	}
}

// queued counts the rows in the queue.
func (w *windowOp) queued() int64 {
	var n int64
	for _, r := range w.queue {
		n += r.NumRows()
	}
	return n
}

// materialize concatenates the buffer's still-needed rows with the
// pending batches.
func (w *windowOp) materialize() error {
	b := &w.buf
	var recs []arrow.RecordBatch
	var newPart, newPeer []bool
	if b.n > 0 && w.keep < b.end() {
		cols := sliceCols(b.cols, b.idx(w.keep), b.n)
		recs = append(recs, array.NewRecordBatch(schemaOf(cols), cols, b.end()-w.keep))
		releaseAll(cols)
		newPart = append(newPart, b.newPart[b.idx(w.keep):]...)
		newPeer = append(newPeer, b.newPeer[b.idx(w.keep):]...)
	}
	base := w.keep
	if b.n == 0 || w.keep >= b.end() {
		base = w.total
		for _, p := range w.pending {
			base -= p.rec.NumRows()
		}
	}
	for _, p := range w.pending {
		recs = append(recs, p.rec)
		newPart = append(newPart, p.newPart...)
		newPeer = append(newPeer, p.newPeer...)
	}
	defer releaseRecs(recs)
	w.pending, w.pendingBytes = nil, 0
	b.release()
	cols, n, err := joinRecords(recs)
	if err != nil {
		return err
	}
	b.cols, b.n, b.base, b.newPart, b.newPeer = cols, n, base, newPart, newPeer
	w.bufBytes = 0
	if n > 0 {
		rec := array.NewRecordBatch(schemaOf(cols), cols, int64(n))
		w.bufBytes = heldBytes(rec)
		rec.Release()
	}
	return nil
}

// joinRecords makes one set of plain columns of recs, copying only when
// there is more than one.
func joinRecords(recs []arrow.RecordBatch) ([]arrow.Array, int, error) {
	if len(recs) > 1 {
		return concatRecords(recs[0].Schema(), recs)
	}
	cols := make([]arrow.Array, recs[0].NumCols())
	for i, c := range recs[0].Columns() {
		pc, err := plain(c)
		if err != nil {
			releaseAll(cols[:i])
			return nil, 0, err
		}
		cols[i] = pc
	}
	return cols, int(recs[0].NumRows()), nil
}

// checkMemory fails a task whose held rows outgrow its memory budget once
// it has evaluated what it could (so one input batch always fits):
// a partition that functions need whole, or a peer group, too large to
// hold. The error says what to change.
func (w *windowOp) checkMemory() error {
	held := w.pendingBytes + w.queueBytes
	if len(w.queue) > 0 { // the first queued batch is partly emitted
		first := w.queue[0]
		emitted := w.done - (w.total - w.queued())
		held -= heldBytes(first) * emitted / first.NumRows()
	}
	if b := &w.buf; b.n > 0 && w.keep < b.end() {
		held += w.bufBytes * (b.end() - w.keep) / int64(b.n)
	}
	if held <= w.env.memory() {
		return nil
	}
	rows := w.total - w.keep
	var why string
	switch w.look {
	case logical.LookPartition:
		why = fmt.Sprintf("%s need whole partitions in memory; add or refine PARTITION BY, or use frames that end at CURRENT ROW or n PRECEDING (those stream)",
			strings.Join(logical.BufferedFuncs(w.spec.Funcs), ", "))
	case logical.LookPeers, logical.LookRows:
		var parts []string
		if w.peers {
			parts = append(parts, "RANGE/GROUPS frames hold each peer group (rows with equal ORDER BY keys): add ORDER BY keys that tell rows apart or use a ROWS frame")
		}
		if w.rowsAhead > 0 {
			parts = append(parts, fmt.Sprintf("functions read %d rows ahead: use smaller offsets", w.rowsAhead))
		}
		why = strings.Join(parts, "; ")
	default:
		why = "functions still read that far back (IGNORE NULLS over a long run of NULLs, or a wide frame)"
	}
	return task.AsFatal(fmt.Errorf("window: %d rows (%s) held, more than the task memory budget of %s: %s; or raise the budget (drover run --task-memory): %w",
		rows, mib(held), mib(w.env.memory()), why, ErrWindowMemory))
}

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

func (w *windowOp) Close() error {
	for _, p := range w.pending {
		p.rec.Release()
	}
	w.pending = nil
	releaseRecs(w.queue)
	w.queue = nil
	w.buf.release()
	releaseRecs(w.out)
	w.out = nil
	releaseAll(w.prev)
	w.prev = nil
	return w.in.Close()
}

func compileAll(es []*expr.Expr, opts eval.Options) ([]*eval.Evaluator, error) {
	out := make([]*eval.Evaluator, len(es))
	for i, e := range es {
		ev, err := eval.Compile(e, opts)
		if err != nil {
			return nil, err
		}
		out[i] = ev
	}
	return out, nil
}

// ErrWindowMemory marks a window task that had to hold more rows than its
// memory budget allows.
var ErrWindowMemory = errors.New("window rows do not fit in memory")

// noNeed is need's answer for functions that read no earlier rows.
const noNeed = math.MaxInt64
