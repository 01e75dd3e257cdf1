package operator

import (
	"context"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/task"
)

// sortOp sorts its input. Rows are buffered with their evaluated sort keys
// appended as extra columns; past the memory budget the buffer is sorted
// and spilled as a run, and the runs are merged at the end.
type sortOp struct {
	in     batch.Reader
	keys   []logical.SortKey
	keyEvs []*eval.Evaluator
	schema *arrow.Schema
	env    *Env
	buf    []arrow.RecordBatch
	res    *memory.Reservation // the buffer's bytes
	spill  *spiller
	meter  spillMeter
	// runRows is the batch length of spilled runs: short enough that the
	// merge, which holds one batch per run, stays small (spillBatchBytes).
	runRows int
	out     batch.Reader
}

func newSort(n *physical.Node, in batch.Reader, env *Env) (batch.Reader, error) {
	s := &sortOp{in: in, keys: n.Sort.Keys, schema: n.Schema.Arrow(), env: env,
		res: env.MemoryPool().Consumer("sort", true), meter: env.spillMeter(n)}
	for _, k := range n.Sort.Keys {
		ev, err := eval.Compile(k.Expr, eval.Options{UDF: env.UDF})
		if err != nil {
			return nil, task.AsFatal(err)
		}
		s.keyEvs = append(s.keyEvs, ev)
	}
	return s, nil
}

func (s *sortOp) Schema() *arrow.Schema { return s.schema }

func (s *sortOp) Next(ctx context.Context) (arrow.RecordBatch, error) {
	if s.out == nil {
		out, err := s.run(ctx)
		if err != nil {
			return nil, err
		}
		s.out = out
	}
	return s.out.Next(ctx)
}

func (s *sortOp) run(ctx context.Context) (batch.Reader, error) {
	for {
		rec, err := s.in.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if err := s.add(ctx, rec); err != nil {
			return nil, err
		}
	}
	sorted, err := s.sortBuffer(s.spill != nil)
	if err != nil {
		return nil, task.AsFatal(err)
	}
	// Done reserving: leave the pool's shares to the operators still
	// filling (a window or aggregation above this sort). The merge's
	// fan-in is sized from the share it had.
	fanIn := fanInFor(s.res.Share())
	s.res.Free()
	if s.spill == nil {
		return adopt(s.schema, dropKeys(sorted, len(s.keys), s.schema)), nil
	}
	if err := s.spill.write(sorted); err != nil {
		return nil, err
	}
	if err := s.spill.reduce(ctx, s.keys, s.runRows, fanIn); err != nil {
		return nil, task.AsFatal(err)
	}
	return s.spill.merge(s.schema, s.keys, s.env.batchRows())
}

// add buffers rec with its keys, spilling when the pool refuses it.
func (s *sortOp) add(ctx context.Context, rec arrow.RecordBatch) error {
	defer rec.Release()
	ext, err := withKeys(ctx, rec, s.keyEvs)
	if err != nil {
		return evalFailed(err)
	}
	s.buf = append(s.buf, ext)
	n := recordBytes(ext)
	if s.res.TryGrow(n) == nil {
		return nil
	}
	s.res.Grow(n) // the batch is in memory already; the spill gives it back
	sorted, err := s.sortBuffer(true)
	if err != nil {
		return task.AsFatal(err)
	}
	if s.spill == nil {
		s.spill = &spiller{env: s.env, meter: s.meter}
	}
	return s.spill.write(sorted)
}

// sortBuffer sorts and empties the buffer, returning sorted batches that
// still carry their key columns (of at most spillBatchBytes for a run).
func (s *sortOp) sortBuffer(run bool) ([]arrow.RecordBatch, error) {
	recs := s.buf
	s.buf = nil
	// The sorted copy replaces the buffer; its bytes are written out or
	// handed to the reader, which the pool does not track.
	s.res.Resize(0)
	if len(recs) == 0 {
		return nil, nil
	}
	rec, err := sortedCopy(recs, s.keys)
	if err != nil {
		return nil, err
	}
	defer rec.Release()
	n := int(rec.NumRows())
	if !run {
		return splitRecord(rec, s.env.batchRows()), nil
	}
	s.runRows = s.env.batchRows()
	if n > 0 {
		per := max(recordBytes(rec)/int64(n), 1)
		s.runRows = int(min(max(spillBatchBytes/per, 64), int64(s.runRows)))
	}
	return splitRecord(rec, s.runRows), nil
}

// spillBatchBytes bounds the batches of a spilled sort run (of which the
// merge holds one per run at a time).
const spillBatchBytes = 1 << 20

// withKeys appends the evaluated sort keys to rec's columns.
func withKeys(ctx context.Context, rec arrow.RecordBatch, evs []*eval.Evaluator) (arrow.RecordBatch, error) {
	kc, err := evalAll(ctx, evs, rec)
	if err != nil {
		return nil, err
	}
	cols := append(append([]arrow.Array(nil), rec.Columns()...), kc...)
	out := array.NewRecordBatch(schemaOf(cols), cols, rec.NumRows())
	releaseAll(kc)
	return out, nil
}

// dropKeys strips the trailing key columns and relabels with schema,
// taking ownership of recs.
func dropKeys(recs []arrow.RecordBatch, nkeys int, schema *arrow.Schema) []arrow.RecordBatch {
	out := make([]arrow.RecordBatch, len(recs))
	for i, r := range recs {
		cols := r.Columns()[:int(r.NumCols())-nkeys]
		out[i] = array.NewRecordBatch(schema, cols, r.NumRows())
		r.Release()
	}
	return out
}

func (s *sortOp) Close() error {
	releaseRecs(s.buf)
	s.buf = nil
	s.res.Free()
	if s.out != nil {
		s.out.Close()
	}
	if s.spill != nil {
		s.spill.cleanup()
	}
	return s.in.Close()
}
