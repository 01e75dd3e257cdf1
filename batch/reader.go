package batch

import (
	"context"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// Reader streams record batches.
type Reader interface {
	// Schema is the schema of every batch Next returns. String columns may
	// arrive as dictionary<int32, utf8> arrays; consumers accept both.
	Schema() *arrow.Schema
	// Next returns the next batch or io.EOF. The caller owns the batch and
	// must Release it. Batches may have zero rows.
	Next(ctx context.Context) (arrow.RecordBatch, error)
	// Close releases resources; safe to call more than once.
	Close() error
}

// SliceReader serves a fixed list of batches; handy in tests and for
// broadcast inputs already in memory.
type SliceReader struct {
	schema *arrow.Schema
	recs   []arrow.RecordBatch
	i      int
}

var _ Reader = (*SliceReader)(nil)

// NewSliceReader returns a Reader over recs (retained; released on Close).
func NewSliceReader(schema *arrow.Schema, recs []arrow.RecordBatch) *SliceReader {
	own := make([]arrow.RecordBatch, len(recs))
	for i, r := range recs {
		r.Retain()
		own[i] = r
	}
	return &SliceReader{schema: schema, recs: own}
}

func (s *SliceReader) Schema() *arrow.Schema { return s.schema }

func (s *SliceReader) Next(context.Context) (arrow.RecordBatch, error) {
	if s.i >= len(s.recs) {
		return nil, io.EOF
	}
	r := s.recs[s.i]
	s.recs[s.i] = nil
	s.i++
	return r, nil
}

func (s *SliceReader) Close() error {
	for _, r := range s.recs[s.i:] {
		if r != nil {
			r.Release()
		}
	}
	s.i = len(s.recs)
	return nil
}

// ReadAll drains r into memory (and closes it).
func ReadAll(ctx context.Context, r Reader) ([]arrow.RecordBatch, error) {
	defer r.Close()
	var out []arrow.RecordBatch
	for {
		rec, err := r.Next(ctx)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			for _, o := range out {
				o.Release()
			}
			return nil, err
		}
		out = append(out, rec)
	}
}

// Table concatenates batches into one (for tests and small results).
func Table(schema *arrow.Schema, recs []arrow.RecordBatch) arrow.Table {
	return array.NewTableFromRecords(schema, recs)
}
