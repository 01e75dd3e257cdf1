package operator

import (
	"context"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/spill"
)

// spillFile is one spill file of batches (Arrow IPC, LZ4), written
// batch by batch and read back once. Dictionary columns are written
// unpacked: batches may carry different dictionaries, which one IPC
// stream cannot. Small batches (a batch's share of one partition) are
// gathered up to spillChunkBytes first, so what is read back comes in
// batches of a useful size however often it was split.
type spillFile struct {
	env    *Env
	meter  spillMeter
	what   string // the operator, for errors and the file name
	schema *arrow.Schema
	f      spill.Writer
	w      *ipc.Writer
	done   spill.File // once finished

	pending      []arrow.RecordBatch
	pendingBytes int64
	pendingRows  int
}

// spillChunkBytes bounds what a spill file gathers before writing: with
// 16 partitions a side, a spilling join buffers at most 32 of them.
const spillChunkBytes = 256 << 10

func newSpillFile(env *Env, meter spillMeter, what string, schema *arrow.Schema) *spillFile {
	if meter.env == nil { // a join built outside Build (tests): the task's count only
		meter.env = env
	}
	return &spillFile{env: env, meter: meter, what: what, schema: plainSchema(schema)}
}

// write appends rec.
func (s *spillFile) write(rec arrow.RecordBatch) error {
	p, err := normalize(rec, s.schema)
	if err != nil {
		return fmt.Errorf("%s spill: %w", s.what, err)
	}
	s.pending = append(s.pending, p)
	s.pendingBytes += recordBytes(p)
	s.pendingRows += int(p.NumRows())
	if s.pendingBytes < spillChunkBytes && s.pendingRows < DefaultBatchRows {
		return nil
	}
	return s.flush()
}

// flush writes the gathered batches as one, opening the file on the
// first call.
func (s *spillFile) flush() error {
	if len(s.pending) == 0 {
		return nil
	}
	recs := s.pending
	s.pending, s.pendingBytes, s.pendingRows = nil, 0, 0
	defer releaseRecs(recs)
	rec := recs[0]
	if len(recs) > 1 {
		cols, n, err := concatRecords(s.schema, recs)
		if err != nil {
			return fmt.Errorf("%s spill: %w", s.what, err)
		}
		rec = array.NewRecordBatch(s.schema, cols, int64(n))
		releaseAll(cols)
		defer rec.Release()
	}
	return s.writeFile(rec)
}

func (s *spillFile) writeFile(rec arrow.RecordBatch) error {
	if s.w == nil {
		f, err := s.env.createSpill(s.what)
		if err != nil {
			return fmt.Errorf("%s spill: %w", s.what, err)
		}
		s.f, s.w = f, ipc.NewWriter(f, ipc.WithSchema(s.schema), ipc.WithLZ4())
	}
	if err := s.w.Write(rec); err != nil {
		return fmt.Errorf("%s spill to %s: %w", s.what, s.f.Name(), err)
	}
	return nil
}

// finish ends the IPC stream and counts the file's bytes as spilled.
func (s *spillFile) finish() error {
	if err := s.flush(); err != nil {
		return err
	}
	if s.w == nil {
		return nil
	}
	w := s.w
	s.w = nil
	if err := w.Close(); err != nil {
		return fmt.Errorf("%s spill to %s: %w", s.what, s.f.Name(), err)
	}
	done, err := finishSpill(s.f, s.meter, s.what)
	if err != nil {
		return err
	}
	s.done = done
	return nil
}

// reader streams the file's batches back from the start; closing it
// removes the file. A file never written reads as empty.
func (s *spillFile) reader() (batch.Reader, error) {
	if s.f == nil && len(s.pending) > 0 {
		if err := s.flush(); err != nil {
			return nil, err
		}
	}
	if s.f == nil {
		return batch.NewSliceReader(s.schema, nil), nil
	}
	if err := s.finish(); err != nil {
		return nil, err
	}
	f := s.done
	s.f, s.done = nil, nil
	r, err := ipc.NewReader(spill.Reader(f))
	if err != nil {
		f.Remove()
		return nil, fmt.Errorf("%s spill %s: %w", s.what, f.Name(), err)
	}
	return &spillReader{schema: s.schema, f: f, r: r}, nil
}

// discard removes the file.
func (s *spillFile) discard() {
	releaseRecs(s.pending)
	s.pending = nil
	if s.w != nil {
		s.w.Close()
		s.w = nil
	}
	if s.done != nil {
		s.done.Remove()
	} else if s.f != nil {
		s.f.Abort()
	}
	s.f, s.done = nil, nil
}

// spillReader reads a spill file's batches and removes it when closed.
type spillReader struct {
	schema *arrow.Schema
	f      spill.File
	r      *ipc.Reader
}

func (r *spillReader) Schema() *arrow.Schema { return r.schema }

func (r *spillReader) Next(context.Context) (arrow.RecordBatch, error) {
	if r.r == nil {
		return nil, io.EOF
	}
	if !r.r.Next() {
		if err := r.r.Err(); err != nil && err != io.EOF {
			return nil, fmt.Errorf("reading spill %s: %w", r.f.Name(), err)
		}
		return nil, io.EOF
	}
	rec := r.r.RecordBatch()
	rec.Retain()
	return rec, nil
}

func (r *spillReader) Close() error {
	if r.r != nil {
		r.r.Release()
		r.r = nil
		r.f.Remove()
	}
	return nil
}

// plainSchema is s with dictionary types replaced by their value types.
func plainSchema(s *arrow.Schema) *arrow.Schema {
	fields := make([]arrow.Field, s.NumFields())
	for i, f := range s.Fields() {
		if d, ok := f.Type.(*arrow.DictionaryType); ok {
			f.Type = d.ValueType
		}
		fields[i] = f
	}
	return arrow.NewSchema(fields, nil)
}
