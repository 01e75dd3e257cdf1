package operator

import (
	"context"
	"fmt"
	"io"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/memory"
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
	res     *memory.Reservation // what held() counts
	nIn     int
	partEvs []*eval.Evaluator
	ordEvs  []*eval.Evaluator
	argEvs  []*eval.Evaluator
	funcs   []winFunc
	look    logical.Lookahead

	prev         []arrow.Array // the last row's partition then order keys
	pending      []pendingRows
	pendingBytes int64
	pass         passQueue // input columns of rows [done, total), not copied
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
	keepKey      bool  // the buffer holds the first order key (RANGE offsets)
	rowsAhead    int64 // the farthest some function reads past a row
	eof          bool
	out          []arrow.RecordBatch
}

// pendingRows is the order keys and function arguments of an input batch
// not yet moved into the buffer, with its row flags. The batch's own
// columns wait in the pass queue: they are only passed through, so they
// are never copied (but may be spilled).
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
	w.pass.env, w.pass.meter = env, env.spillMeter(n)
	w.res = env.MemoryPool().Consumer("window", true)
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
	// The buffer holds the first order key if RANGE offsets compare it,
	// then each distinct argument once.
	for _, f := range spec.Funcs {
		w.keepKey = w.keepKey || rangeOffsets(f)
	}
	base := 0
	if w.keepKey {
		base = 1
	}
	argCol := map[string]int{}
	for _, f := range spec.Funcs {
		cols := make([]int, len(f.Args))
		for i, a := range f.Args {
			c, ok := argCol[a.String()]
			if !ok {
				ev, err := eval.Compile(a, opts)
				if err != nil {
					return nil, task.AsFatal(err)
				}
				c = base + len(w.argEvs)
				argCol[a.String()] = c
				w.argEvs = append(w.argEvs, ev)
			}
			cols[i] = c
		}
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
	var cols []arrow.Array
	if w.keepKey {
		cols = append(cols, ok[0])
	}
	cols = append(cols, args...)
	p.rec = array.NewRecordBatch(schemaOf(cols), cols, int64(n))
	releaseAll(ok)
	releaseAll(args)
	w.pending = append(w.pending, p)
	w.pendingBytes += heldBytes(p.rec)
	inCols := rec.Columns()[:w.nIn]
	in := array.NewRecordBatch(schemaOf(inCols), inCols, int64(n))
	w.pass.push(in)
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

func (w *windowOp) Close() error {
	w.res.Free()
	for _, p := range w.pending {
		p.rec.Release()
	}
	w.pending = nil
	w.pass.release()
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

// rangeOffsets reports whether f compares order key values (a RANGE frame
// with an offset bound).
func rangeOffsets(f logical.WindowFunc) bool {
	fr := f.Frame
	return f.Kind.UsesFrame() && fr.Unit == logical.FrameRange && (hasOffset(fr.Start) || hasOffset(fr.End))
}

// noNeed is need's answer for functions that read no earlier rows.
const noNeed = math.MaxInt64
