package parquetfmt

import (
	"fmt"
	"sync"

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
	parallel  bool // decode the columns on goroutines of their own
	cur       arrow.RecordBatch
	err       error
}

// openOwnFilter opens the own decoders of the filter side for rows
// [from, from+rows) of row group rg, or returns nil when some filter
// chunk is not one the own decoder reads.
func (r *reader) openOwnFilter(rg int, from, rows int64) (*ownSource, error) {
	return r.openOwn(rg, r.p.late.filterLeaves, r.p.late.ownFilter, from, rows)
}

// openOwn opens the own decoders of leaves (read as kinds) for rows
// [from, from+rows) of row group rg, or returns nil when kinds is nil or
// some chunk is not one the own decoder reads.
func (r *reader) openOwn(rg int, leaves []int, kinds []payKind, from, rows int64) (*ownSource, error) {
	if kinds == nil {
		return nil, nil
	}
	rgr := r.fr.ParquetReader().RowGroup(rg)
	src := &ownSource{pos: from, left: rows, batchRows: int64(r.p.batchRows), parallel: r.p.parallel}
	fields := make([]arrow.Field, len(leaves))
	for i, leaf := range leaves {
		_, indexed := rgr.MetaData().OffsetIndexLocation(leaf)
		d, err := newPayDecoder(rgr, leaf, kinds[i], indexed)
		if err != nil || d == nil {
			src.Release()
			return nil, err
		}
		src.decs = append(src.decs, d)
		fields[i] = arrow.Field{Name: fmt.Sprint("leaf", leaf), Type: kinds[i].typ, Nullable: true}
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
	cols, err := readColumns(s.decs, s.pos, n, nil, true, s.parallel)
	if err != nil {
		s.err = fmt.Errorf("row group row %d: %w", s.pos, err)
		return false
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

// readColumns reads rows pos+sel (all: [pos, pos+n)) of every decoder
// (nil ones give nil), on a goroutine each when parallel (plan.parallel:
// the units are fewer than the workers).
func readColumns(decs []payDecoder, pos, n int64, sel []int32, all, parallel bool) ([]arrow.Array, error) {
	cols := make([]arrow.Array, len(decs))
	errs := make([]error, len(decs))
	var wg sync.WaitGroup
	for i, d := range decs {
		if d == nil {
			continue
		}
		if parallel && len(decs) > 1 {
			wg.Go(func() {
				// decode's recover does not reach this goroutine.
				defer func() {
					if v := recover(); v != nil {
						errs[i] = fmt.Errorf("%w: panic decoding: %v", errBadPage, v)
					}
				}()
				cols[i], errs[i] = d.read(pos, n, sel, all)
			})
		} else {
			cols[i], errs[i] = d.read(pos, n, sel, all)
		}
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			releaseAll(cols)
			return nil, err
		}
	}
	return cols, nil
}
