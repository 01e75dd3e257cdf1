package parquetfmt

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// batchSource is the filter side of a late-materialized unit: pqarrow's
// record reader, or ownSource when the own decoder reads every filter
// column chunk of the row group.
type batchSource interface {
	Next() bool
	RecordBatch() arrow.RecordBatch
	Err() error
	Release()
}

// ownSource reads the filter leaves with the own decoder, every row, in
// batches of batchRows from the unit's first row on (the batches
// pqarrow's record reader would make after seeking there).
type ownSource struct {
	decs      []payDecoder
	schema    *arrow.Schema
	pos, left int64 // next row within the row group; rows left in the unit
	batchRows int64
	cur       arrow.RecordBatch
	err       error
}

// openOwnFilter opens the own decoders of the filter side for rows
// [from, from+rows) of row group rg, or returns nil when some filter
// chunk is not one the own decoder reads.
func (r *reader) openOwnFilter(rg int, from, rows int64) (*ownSource, error) {
	lp := r.p.late
	if lp.ownFilter == nil {
		return nil, nil
	}
	rgr := r.fr.ParquetReader().RowGroup(rg)
	src := &ownSource{pos: from, left: rows, batchRows: int64(r.p.batchRows)}
	fields := make([]arrow.Field, len(lp.filterLeaves))
	for i, leaf := range lp.filterLeaves {
		_, indexed := rgr.MetaData().OffsetIndexLocation(leaf)
		d, err := newPayDecoder(rgr, leaf, lp.ownFilter[i], indexed)
		if err != nil || d == nil {
			src.Release()
			return nil, err
		}
		src.decs = append(src.decs, d)
		fields[i] = arrow.Field{Name: fmt.Sprint("leaf", leaf), Type: lp.ownFilter[i].typ, Nullable: true}
	}
	src.schema = arrow.NewSchema(fields, nil)
	return src, nil
}

func (s *ownSource) Next() bool {
	if s.cur != nil {
		s.cur.Release()
		s.cur = nil
	}
	if s.left <= 0 || s.err != nil {
		return false
	}
	n := min(s.batchRows, s.left)
	cols := make([]arrow.Array, len(s.decs))
	for i, d := range s.decs {
		a, err := d.read(s.pos, n, nil, true)
		if err != nil {
			releaseAll(cols)
			s.err = fmt.Errorf("row group row %d: %w", s.pos, err)
			return false
		}
		cols[i] = a
	}
	s.cur = array.NewRecordBatch(s.schema, cols, n)
	releaseAll(cols)
	s.pos += n
	s.left -= n
	return true
}

func (s *ownSource) RecordBatch() arrow.RecordBatch { return s.cur }

func (s *ownSource) Err() error { return s.err }

func (s *ownSource) Release() {
	if s.cur != nil {
		s.cur.Release()
		s.cur = nil
	}
	for _, d := range s.decs {
		d.close()
	}
	s.decs = nil
}
