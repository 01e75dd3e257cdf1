package parquetfmt

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/format"
)

// decodeLate is decode for a plan with late materialization (latemat.go):
// two record readers over the unit's rows, the filter side's read batch
// by batch and the payload's only up to batches that have selected rows.
func (r *reader) decodeLate(ctx context.Context, u unit, rg int, out chan<- item) {
	lp := r.p.late
	fail := func(err error) { send(ctx, out, item{err: err}) }
	var rrF batchSource
	own, err := r.openOwnFilter(rg, u.from, u.rows())
	if err != nil {
		fail(corrupt(r.p.url, fmt.Errorf("row group %d: %w", rg, err)))
		return
	}
	if own != nil {
		rrF = own
	} else {
		rr, err := r.fr.GetRecordReader(ctx, lp.filterLeaves, []int{rg})
		if err != nil {
			fail(corrupt(r.p.url, err))
			return
		}
		if u.from > 0 {
			if err := rr.SeekToRow(u.from); err != nil {
				rr.Release()
				fail(corrupt(r.p.url, fmt.Errorf("row group %d: seeking to row %d: %w", rg, u.from, err)))
				return
			}
		}
		rrF = rr
	}
	defer rrF.Release()
	// Seek past batches without selected rows only through buffered
	// streams: unbuffered, a seek reads the payload's whole chunks again
	// (pqarrow opens a new page reader), costlier than decoding and
	// dropping the batches from the chunks already read.
	rgm := r.pf.rdr.MetaData().RowGroup(rg)
	seekable := r.p.buffered && r.p.hasOffsetIndex(rgm)
	pay, keys, err := r.openPayloads(ctx, rg, u.from, seekable)
	if err != nil {
		fail(corrupt(r.p.url, fmt.Errorf("row group %d: %w", rg, err)))
		return
	}
	defer pay.close()
	if keys != nil {
		defer keys.close()
	}
	row := r.p.rowStart[u.rg] + u.from // file row of the batch, for errors
	pos, left := u.from, u.rows()      // pos: row within the row group
	for left > 0 && rrF.Next() {
		rec := rrF.RecordBatch()
		n := min(rec.NumRows(), left)
		if n < rec.NumRows() {
			rec = rec.NewSlice(0, n)
			defer rec.Release()
		}
		res, filtered, err := r.lateBatch(ctx, rec, row, pos, pay, keys)
		row, pos, left = row+n, pos+n, left-n
		if err != nil {
			fail(err)
			return
		}
		if res != nil && !send(ctx, out, item{rec: res, filtered: filtered}) {
			res.Release()
			return
		}
	}
	if err := rrF.Err(); err != nil {
		fail(corrupt(r.p.url, err))
		return
	}
	if left > 0 {
		fail(corrupt(r.p.url, fmt.Errorf("row group %d ended %d rows early", rg, left)))
	}
}

// lateBatch filters one batch of the filter side (first file row row,
// row group row pos) and completes the surviving rows from the payload
// side (keys: the runtime filter's key columns, read apart from the rest
// of the payload first; nil when they are on the filter side or there is
// no runtime filter). It returns nil when no row survives; filtered is
// false when the filters failed to evaluate and every row is passed on
// unfiltered.
func (r *reader) lateBatch(ctx context.Context, rec arrow.RecordBatch, row, pos int64, pay, keys *payCursor) (_ arrow.RecordBatch, filtered bool, _ error) {
	lp := r.p.late
	n := rec.NumRows()
	evalCols, err := r.p.convertLate(rec, row)
	if err != nil {
		return nil, false, err
	}
	defer releaseAll(evalCols)
	sel, all, filtered := []int32(nil), true, true
	if lp.pred != nil {
		er := array.NewRecordBatch(lp.evalSchema, evalCols, n)
		sel, all, err = eval.Select(ctx, er, lp.pred)
		er.Release()
		filtered = err == nil
		if err != nil {
			// Let the scan operator evaluate (and report) it as without late
			// materialization: pass every row on, marked unfiltered.
			sel, all = nil, true
		}
	}
	if !all && len(sel) == 0 {
		return nil, true, nil
	}
	var kcols []arrow.Array
	switch {
	case keys != nil:
		if kcols, err = keys.columns(ctx, r.p, pos, n, sel, all); err != nil {
			return nil, false, corrupt(r.p.url, err)
		}
		if filtered {
			if sel, all, kcols, err = r.p.runtimeKeys(ctx, kcols, sel, all); err != nil {
				releaseAll(kcols)
				return nil, false, err
			}
		}
		defer releaseAll(kcols)
	case filtered:
		sel, all = lp.runtimeSelect(evalCols, sel, all)
	}
	if !all && len(sel) == 0 {
		return nil, true, nil
	}
	res, err := r.lateGather(ctx, evalCols, row, pos, n, sel, all, pay, kcols)
	return res, filtered, err
}

// lateGather reads the payload side's n rows from pos on and builds the
// output batch of the selected rows (all: every row), taking the payload
// columns kcols holds (not nil) from it: they were read for sel already.
func (r *reader) lateGather(ctx context.Context, evalCols []arrow.Array, row, pos, n int64, sel []int32, all bool, pay *payCursor, kcols []arrow.Array) (arrow.RecordBatch, error) {
	pcols, err := pay.columns(ctx, r.p, pos, n, sel, all)
	if err != nil {
		return nil, corrupt(r.p.url, err)
	}
	defer releaseAll(pcols)
	for i, k := range kcols { // the key columns, read apart (rows sel already)
		if k != nil {
			k.Retain()
			pcols[i] = k
		}
	}
	fcols := evalCols
	if !all {
		if fcols, err = eval.TakeColumns(ctx, fcols, sel); err != nil {
			return nil, err
		}
		defer releaseAll(fcols)
	}
	fileRow := func(i int) int64 {
		if all {
			return row + int64(i)
		}
		return row + int64(sel[i])
	}
	return r.p.assembleLate(fcols, pcols, fileRow)
}

// convertLate converts the filter side's columns (those the filters
// evaluate on) to the output types.
func (p *plan) convertLate(rec arrow.RecordBatch, firstRow int64) ([]arrow.Array, error) {
	lp := p.late
	cols := make([]arrow.Array, len(lp.evalCols))
	for j, i := range lp.evalCols {
		a, bad, err := p.convertColumn(rec.Column(lp.evalSrc[j]), i)
		if err != nil {
			releaseAll(cols[:j])
			return nil, &format.DataError{File: p.url, Row: firstRow + int64(bad), Column: p.cols[i].name, Err: err}
		}
		cols[j] = a
	}
	return cols, nil
}

// assembleLate builds the output batch from the filter side's converted
// columns and the payload's raw ones (converted here, after the gather).
func (p *plan) assembleLate(fcols, pcols []arrow.Array, fileRow func(int) int64) (arrow.RecordBatch, error) {
	n := fcols[0].Len()
	cols := make([]arrow.Array, len(p.cols))
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i, c := range p.cols {
		src := p.late.side[i]
		switch {
		case src.filter:
			cols[i] = fcols[src.pos]
			cols[i].Retain()
		case src.pos == absent:
			cols[i] = array.MakeArrayOfNull(mem, p.schema.Field(i).Type, n)
		case p.widened(i) && arrow.TypeEqual(pcols[src.pos].DataType(), p.schema.Field(i).Type):
			cols[i] = pcols[src.pos] // gathered and widened in one pass
			cols[i].Retain()
		default:
			a, bad, err := p.convertColumn(pcols[src.pos], i)
			if err != nil {
				return nil, &format.DataError{File: p.url, Row: fileRow(bad), Column: c.name, Err: err}
			}
			cols[i] = a
		}
	}
	return array.NewRecordBatch(p.schema, cols, int64(n)), nil
}

// payCursor reads the payload side's batches on demand: the columns the
// own page decoder reads (own[pos] != nil) through it, the others (rest)
// through a pqarrow record reader.
type payCursor struct {
	rr       pqarrow.RecordReader // nil: no column is left to pqarrow
	at       int64                // row (within the row group) of rr's next batch
	seekable bool                 // the offset index and buffered streams make a seek skip whole pages
	own      []payDecoder
	rest     []int // payload positions rr reads, in its column order
}

// openPayload opens the payload side of a unit of row group rg starting
// at row from: an own decoder for each chunk it reads, pqarrow for the
// rest. Only the payload positions want accepts are read (the others
// come out nil).
func (r *reader) openPayload(ctx context.Context, rg int, from int64, seekable bool, want func(pos int) bool) (*payCursor, error) {
	lp := r.p.late
	pay := &payCursor{at: from, seekable: seekable, own: make([]payDecoder, len(lp.payLeaves))}
	rgr := r.fr.ParquetReader().RowGroup(rg)
	var leaves []int
	for pos, leaf := range lp.payLeaves {
		if !want(pos) {
			continue
		}
		var d payDecoder
		if lp.own != nil {
			_, indexed := rgr.MetaData().OffsetIndexLocation(leaf)
			var err error
			if d, err = newPayDecoder(rgr, leaf, lp.own[pos], indexed); err != nil {
				pay.close()
				return nil, err
			}
		}
		if d != nil {
			pay.own[pos] = d
			continue
		}
		pay.rest = append(pay.rest, pos)
		leaves = append(leaves, leaf)
	}
	if len(leaves) == 0 {
		return pay, nil
	}
	rr, err := r.fr.GetRecordReader(ctx, leaves, []int{rg})
	if err != nil {
		pay.close()
		return nil, err
	}
	pay.rr = rr
	if from > 0 {
		if err := rr.SeekToRow(from); err != nil {
			pay.close()
			return nil, fmt.Errorf("seeking to row %d: %w", from, err)
		}
	}
	return pay, nil
}

func (c *payCursor) close() {
	for _, d := range c.own {
		if d != nil {
			d.close()
		}
	}
	if c.rr != nil {
		c.rr.Release()
	}
}

// columns returns the payload columns (in payload order) of rows pos+sel
// (all: every row of [pos, pos+n)).
func (c *payCursor) columns(ctx context.Context, p *plan, pos, n int64, sel []int32, all bool) ([]arrow.Array, error) {
	out := make([]arrow.Array, len(c.own))
	if c.rr != nil {
		payRec, err := c.read(pos, n)
		if err != nil {
			return nil, err
		}
		defer payRec.Release()
		rest := payRec.Columns()
		if !all {
			if rest, err = p.gatherPayload(ctx, rest, c.rest, sel); err != nil {
				return nil, err
			}
		} else {
			for _, a := range rest {
				a.Retain()
			}
		}
		for j, at := range c.rest {
			out[at] = rest[j]
		}
	}
	own, err := readColumns(c.own, pos, n, sel, all, p.parallel)
	if err != nil {
		releaseAll(out)
		return nil, fmt.Errorf("row group row %d: %w", pos, err)
	}
	for k, a := range own {
		if a != nil {
			out[k] = a
		}
	}
	return out, nil
}

// read returns the payload's n rows from row pos on, skipping the rows
// before: by seeking when the offset index allows, else by decoding and
// dropping whole batches. Batches of both sides start at the same rows.
func (c *payCursor) read(pos, n int64) (arrow.RecordBatch, error) {
	if c.at < pos && c.seekable {
		if err := c.rr.SeekToRow(pos); err != nil {
			return nil, fmt.Errorf("seeking to row %d: %w", pos, err)
		}
		c.at = pos
	}
	for c.rr.Next() {
		rec := c.rr.RecordBatch()
		m := rec.NumRows()
		if c.at+m <= pos {
			c.at += m
			continue
		}
		if c.at != pos || m < n {
			return nil, fmt.Errorf("payload columns out of step at row %d (want %d rows at %d)", c.at, n, pos)
		}
		c.at += m
		if m > n {
			return rec.NewSlice(0, n), nil
		}
		rec.Retain()
		return rec, nil
	}
	if err := c.rr.Err(); err != nil {
		return nil, err
	}
	return nil, fmt.Errorf("payload columns ended at row %d, before row %d", c.at, pos+n)
}

func releaseAll(as []arrow.Array) {
	for _, a := range as {
		if a != nil {
			a.Release()
		}
	}
}
