package operator

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/task"
)

// evaluate moves the pending rows into the buffer, computes rows
// [done, ready) a batch at a time (a partition held whole may be far
// larger than a batch) and queues them as output.
func (w *windowOp) evaluate() error {
	if err := w.materialize(); err != nil {
		return task.AsFatal(err)
	}
	b := &w.buf
	for w.done < w.ready {
		to := min(w.ready, w.done+int64(w.env.batchRows()))
		if err := w.evaluateRows(b, to); err != nil {
			return err
		}
		w.done = to
	}
	w.keep = w.done
	for _, f := range w.funcs {
		w.keep = min(w.keep, f.need())
	}
	w.keep = max(w.keep, b.base)
	return nil
}

// evaluateRows computes and emits rows [done, to).
func (w *windowOp) evaluateRows(b *winBuf, to int64) error {
	w.track.context(b, w.done, to, w.eof)
	var vals []arrow.Array
	defer func() { releaseAll(vals) }()
	for _, f := range w.funcs {
		col, err := f.eval(b)
		if err != nil {
			return evalFailed(err)
		}
		vals = append(vals, col)
	}
	if err := w.emit(vals, to); err != nil {
		return task.AsFatal(err)
	}
	return nil
}

// emit queues rows [done, to): the input columns as they came, cut at
// input batch boundaries, with the matching slices of the function values.
func (w *windowOp) emit(vals []arrow.Array, to int64) error {
	end := to
	pos := w.done
	for pos < end {
		in, err := w.pass.head()
		if err != nil {
			return err
		}
		start := w.total - w.pass.rows // absolute row of in's first row
		from, to := pos-start, min(end-start, in.NumRows())
		cols := sliceCols(in.Columns(), int(from), int(to))
		cols = append(cols, sliceCols(vals, int(pos-w.done), int(pos-w.done+to-from))...)
		rec := recordOf(cols, to-from)
		w.out = append(w.out, splitRecord(rec, w.env.batchRows())...)
		rec.Release()
		pos += to - from
		if to == in.NumRows() {
			w.pass.pop()
		}
	}
	return nil
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
