package operator

import (
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"

	"github.com/drover-etl/drover/spill"
)

// passQueue holds, in order, the input columns of the rows a window has
// read but not emitted. They are only passed through, so when a partition
// held whole outgrows the memory budget they move to a temp file (Arrow
// IPC, LZ4) and come back one batch at a time as rows are emitted; only the
// order keys and arguments the functions read stay in memory.
type passQueue struct {
	env   *Env
	meter spillMeter
	segs  []passSeg
	rows  int64 // rows held, in memory or on disk
	bytes int64 // of the batches in memory
}

// passSeg is one input batch: in memory (rec set) or the next unread
// batch of file.
type passSeg struct {
	rec  arrow.RecordBatch
	rows int64
	file *passFile
}

type passFile struct {
	f    spill.File
	r    *ipc.Reader
	left int // batches not yet read back
}

func (q *passQueue) push(rec arrow.RecordBatch) {
	q.segs = append(q.segs, passSeg{rec: rec, rows: rec.NumRows()})
	q.rows += rec.NumRows()
	q.bytes += heldBytes(rec)
}

// head returns the first batch, reading it back from disk if it was spilled.
func (q *passQueue) head() (arrow.RecordBatch, error) {
	s := &q.segs[0]
	if s.rec != nil {
		return s.rec, nil
	}
	pf := s.file
	if pf.r == nil {
		r, err := ipc.NewReader(spill.Reader(pf.f), ipc.WithAllocator(mem))
		if err != nil {
			return nil, fmt.Errorf("window spill %s: %w", pf.f.Name(), err)
		}
		pf.r = r
	}
	if !pf.r.Next() {
		return nil, fmt.Errorf("window spill: %s ended early: %v", pf.f.Name(), pf.r.Err())
	}
	rec := pf.r.RecordBatch()
	rec.Retain()
	if rec.NumRows() != s.rows {
		rec.Release()
		return nil, fmt.Errorf("window spill: batch of %d rows read back as %d", s.rows, rec.NumRows())
	}
	pf.left--
	if pf.left == 0 {
		pf.close()
	}
	s.rec = rec
	q.bytes += heldBytes(rec)
	return rec, nil
}

// pop drops the first batch (fully emitted).
func (q *passQueue) pop() {
	s := q.segs[0]
	q.rows -= s.rows
	if s.rec != nil {
		q.bytes -= heldBytes(s.rec)
		s.rec.Release()
	}
	q.segs = q.segs[1:]
}

// spill writes every batch in memory but the first (being emitted) to a
// new temp file.
func (q *passQueue) spill() error {
	var idx []int
	for i := 1; i < len(q.segs); i++ {
		if q.segs[i].rec != nil {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return nil
	}
	w, err := q.env.createSpill("window")
	if err != nil {
		return fmt.Errorf("window spill: %w", err)
	}
	if err := q.writeSegs(w, idx); err != nil {
		w.Abort()
		return err
	}
	f, err := finishSpill(w, q.meter, "window")
	if err != nil {
		return err
	}
	pf := &passFile{f: f, left: len(idx)}
	for _, i := range idx {
		s := &q.segs[i]
		q.bytes -= heldBytes(s.rec)
		s.rec.Release()
		s.rec, s.file = nil, pf
	}
	return nil
}

func (q *passQueue) writeSegs(f io.Writer, idx []int) error {
	var w *ipc.Writer
	for _, i := range idx {
		rec, err := normalizeRecord(q.segs[i].rec)
		if err != nil {
			return err
		}
		if w == nil {
			w = ipc.NewWriter(f, ipc.WithSchema(rec.Schema()), ipc.WithLZ4(), ipc.WithAllocator(mem))
		}
		err = w.Write(rec)
		rec.Release()
		if err != nil {
			return fmt.Errorf("window spill: %w", err)
		}
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("window spill: %w", err)
	}
	return nil
}

// normalizeRecord unpacks dictionaries, so every batch of a spill file has
// one schema.
func normalizeRecord(rec arrow.RecordBatch) (arrow.RecordBatch, error) {
	cols := make([]arrow.Array, rec.NumCols())
	for i, c := range rec.Columns() {
		p, err := plain(c)
		if err != nil {
			releaseAll(cols[:i])
			return nil, err
		}
		cols[i] = p
	}
	out := array.NewRecordBatch(schemaOf(cols), cols, rec.NumRows())
	releaseAll(cols)
	return out, nil
}

func (pf *passFile) close() {
	if pf.r != nil {
		pf.r.Release()
		pf.r = nil
	}
	pf.f.Remove()
}

// release drops everything, removing spill files.
func (q *passQueue) release() {
	files := map[*passFile]bool{}
	for _, s := range q.segs {
		if s.rec != nil {
			s.rec.Release()
		}
		if s.file != nil {
			files[s.file] = true
		}
	}
	for pf := range files {
		pf.close()
	}
	q.segs, q.rows, q.bytes = nil, 0, 0
}
