package parquetfmt

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/format"
)

// decode reads unit i of the plan into out, then closes out. A panic in
// the decoder (garbage pages) becomes a corrupt-file error.
func (r *reader) decode(ctx context.Context, i int, out chan<- item) {
	defer close(out)
	u := r.p.units[i]
	rg := r.p.rowGroups[u.rg]
	defer func() {
		if v := recover(); v != nil {
			send(ctx, out, item{err: corrupt(r.p.url, fmt.Errorf("decoding row group %d: %v", rg, v))})
		}
	}()
	if ctx.Err() != nil {
		return
	}
	if len(r.p.leaves) == 0 {
		r.countOnly(ctx, u, out)
		return
	}
	if r.p.late != nil {
		r.decodeLate(ctx, u, rg, out)
		return
	}
	rr, err := r.openUnit(ctx, u, rg)
	if err != nil {
		send(ctx, out, item{err: err})
		return
	}
	defer rr.Release()
	row := r.p.rowStart[u.rg] + u.from
	left := u.rows()
	for left > 0 && rr.Next() {
		rec := rr.RecordBatch()
		if rec.NumRows() > left {
			// A batch that runs past the unit's end (a batch size that
			// does not divide the morsel): the rows beyond are the next
			// unit's.
			rec = rec.NewSlice(0, left)
			defer rec.Release()
		}
		conv, err := r.p.convert(rec, row)
		row += rec.NumRows()
		left -= rec.NumRows()
		if err != nil {
			send(ctx, out, item{err: err})
			return
		}
		if !send(ctx, out, item{rec: conv}) {
			conv.Release()
			return
		}
	}
	if err := rr.Err(); err != nil {
		send(ctx, out, item{err: corrupt(r.p.url, err)})
		return
	}
	if left > 0 {
		// The footer promised more rows than the pages hold: reading on
		// would silently lose them.
		send(ctx, out, item{err: corrupt(r.p.url, fmt.Errorf("row group %d ended %d rows early", rg, left))})
	}
}

// openUnit opens the reader of a unit's batches: the own page decoder
// when it reads every chunk of the row group (pagedec.go), else pqarrow's
// record reader, seeked to the unit's first row.
func (r *reader) openUnit(ctx context.Context, u unit, rg int) (batchSource, error) {
	own, err := r.openOwn(rg, r.p.leaves, r.p.ownAll, u.from, u.rows())
	if err != nil {
		return nil, corrupt(r.p.url, fmt.Errorf("row group %d: %w", rg, err))
	}
	if own != nil {
		return own, nil
	}
	rr, err := r.fr.GetRecordReader(ctx, r.p.leaves, []int{rg})
	if err != nil {
		return nil, corrupt(r.p.url, err)
	}
	if u.from > 0 {
		if err := rr.SeekToRow(u.from); err != nil {
			rr.Release()
			return nil, corrupt(r.p.url, fmt.Errorf("row group %d: seeking to row %d: %w", rg, u.from, err))
		}
	}
	return rr, nil
}

// countOnly serves a projection that decodes no column (count(*), or only
// columns the file lacks): batches with a row count taken from the footer
// and NULL columns for the absent ones, without decoding anything.
func (r *reader) countOnly(ctx context.Context, u unit, out chan<- item) {
	n := u.rows()
	for n > 0 {
		k := min(n, int64(r.p.batchRows))
		empty := array.NewRecordBatch(arrow.NewSchema(nil, nil), nil, k)
		rec, err := r.p.convert(empty, 0)
		empty.Release()
		if err != nil {
			send(ctx, out, item{err: err})
			return
		}
		if !send(ctx, out, item{rec: rec}) {
			rec.Release()
			return
		}
		n -= k
	}
}

func send(ctx context.Context, out chan<- item, it item) bool {
	select {
	case out <- it:
		return true
	case <-ctx.Done():
		return false
	}
}

// convert turns a decoded batch into the output schema's types.
func (p *plan) convert(rec arrow.RecordBatch, firstRow int64) (arrow.RecordBatch, error) {
	cols := make([]arrow.Array, len(p.cols))
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i, c := range p.cols {
		if c.slot == absent {
			cols[i] = array.MakeArrayOfNull(mem, p.schema.Field(i).Type, int(rec.NumRows()))
			continue
		}
		a, bad, err := p.convertColumn(rec.Column(c.slot), i)
		if err != nil {
			return nil, &format.DataError{File: p.url, Row: firstRow + int64(bad), Column: c.name, Err: err}
		}
		cols[i] = a
	}
	return array.NewRecordBatch(p.schema, cols, rec.NumRows()), nil
}
