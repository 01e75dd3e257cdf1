package parquetfmt

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/format"
)

// decode reads row group i of the plan into out, then closes out. A panic
// in the decoder (garbage pages) becomes a corrupt-file error.
func (r *reader) decode(ctx context.Context, i int, out chan<- item) {
	defer close(out)
	defer func() {
		if v := recover(); v != nil {
			send(ctx, out, item{err: corrupt(r.p.url, fmt.Errorf("decoding row group %d: %v", r.p.rowGroups[i], v))})
		}
	}()
	if ctx.Err() != nil {
		return
	}
	if len(r.p.leaves) == 0 {
		r.countOnly(ctx, i, out)
		return
	}
	rr, err := r.fr.GetRecordReader(ctx, r.p.leaves, []int{r.p.rowGroups[i]})
	if err != nil {
		send(ctx, out, item{err: corrupt(r.p.url, err)})
		return
	}
	defer rr.Release()
	row := r.p.rowStart[i]
	for rr.Next() {
		rec := rr.RecordBatch()
		conv, err := r.p.convert(rec, row)
		row += rec.NumRows()
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
	}
}

// countOnly serves a projection that decodes no column (count(*), or only
// columns the file lacks): batches with a row count taken from the footer
// and NULL columns for the absent ones, without decoding anything.
func (r *reader) countOnly(ctx context.Context, i int, out chan<- item) {
	n := r.pf.rdr.MetaData().RowGroup(r.p.rowGroups[i]).NumRows()
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
		a, bad, err := convertArray(rec.Column(c.slot), c.target, p.schema.Field(i).Type)
		if err != nil {
			return nil, &format.DataError{File: p.url, Row: firstRow + int64(bad), Column: c.name, Err: err}
		}
		cols[i] = a
	}
	return array.NewRecordBatch(p.schema, cols, rec.NumRows()), nil
}
