package csvfmt

import (
	"context"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/csv/textcol"
	"github.com/drover-etl/drover/format/textfile"
	"github.com/drover-etl/drover/types"
)

// column is one produced column: the field it comes from and its builder.
type column struct {
	field    int
	name     string
	isString bool
	app      textcol.Appender
}

// reader streams the records of one file as batches.
type reader struct {
	url    string
	file   *textfile.File
	p      *parser
	o      options
	width  int // fields per record
	cols   []column
	schema *arrow.Schema
	err    error // sticky: a failed batch leaves the builders half full
	eof    bool
}

var _ batch.Reader = (*reader)(nil)

// Open reads the records of the split: a whole file, or a byte range that
// SplitOptions cut at records (the header and skipped rows are read only
// by the range at offset 0).
func (Format) Open(ctx context.Context, split format.Split, ro format.ReadOptions) (batch.Reader, error) {
	o, err := parseOptions(ro.Options)
	if err != nil {
		return nil, err
	}
	if ro.BatchRows > 0 {
		o.batchRows = ro.BatchRows
	}
	r := &reader{url: split.URL, o: o, width: ro.Table.Len()}
	if err := r.buildColumns(ro); err != nil {
		return nil, err
	}
	if err := r.open(ctx, split); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

func (r *reader) open(ctx context.Context, split format.Split) error {
	if split.Offset > 0 && !split.Aligned {
		return fmt.Errorf("csv: %s: a range from byte %d not cut at a record", split.URL, split.Offset)
	}
	f, err := textfile.Open(ctx, split, r.o.compression)
	if err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	r.file = f
	lines, err := f.Lines()
	if err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	r.p = newParser(lines, r.o.delim, r.o.quote)
	if split.Offset > 0 {
		return nil
	}
	return r.skipPreamble()
}

func (r *reader) buildColumns(ro format.ReadOptions) error {
	idx := ro.Columns
	if idx == nil {
		idx = make([]int, ro.Table.Len())
		for i := range idx {
			idx[i] = i
		}
	}
	fields := make([]arrow.Field, len(idx))
	for i, c := range idx {
		f := ro.Table.Fields[c]
		app, err := textcol.NewAppender(memory.DefaultAllocator, f.Type, r.o.parse)
		if err != nil {
			r.releaseColumns()
			return fmt.Errorf("csv: column %q: %w", f.Name, err)
		}
		r.cols = append(r.cols, column{field: c, name: f.Name, isString: f.Type.ID == types.String, app: app})
		fields[i] = arrow.Field{Name: f.Name, Type: f.Type.Arrow(), Nullable: f.Nullable}
	}
	r.schema = arrow.NewSchema(fields, nil)
	return nil
}

// skipPreamble drops skip_rows lines and the header record.
func (r *reader) skipPreamble() error {
	if err := r.p.skipLines(r.o.skipRows); err != nil {
		return r.ioErr(err)
	}
	if !r.o.header {
		return nil
	}
	line, err := r.p.next()
	switch {
	case err == io.EOF:
		r.eof = true
		return nil
	case err != nil:
		return wrapParseError(r.url, line, err)
	case len(r.p.fields) != r.width:
		return fieldCountError(r.url, line, r.width, len(r.p.fields))
	}
	return nil
}

func (r *reader) ioErr(err error) error {
	if err == io.EOF {
		r.eof = true
		return nil
	}
	return fmt.Errorf("csv: read %s: %w", r.url, err)
}

func (r *reader) Schema() *arrow.Schema { return r.schema }

// Next parses up to batchRows records.
func (r *reader) Next(ctx context.Context) (arrow.RecordBatch, error) {
	if r.err != nil {
		return nil, r.err
	}
	if r.eof {
		return nil, io.EOF
	}
	rows, err := r.fill(ctx)
	if err != nil {
		r.err = err
		return nil, err
	}
	if rows == 0 {
		return nil, io.EOF
	}
	return r.flush(rows), nil
}

// fill appends records to the builders until the batch is full or the
// file ends.
func (r *reader) fill(ctx context.Context) (int, error) {
	for _, c := range r.cols {
		c.app.Reserve(r.o.batchRows)
	}
	rows := 0
	for ; rows < r.o.batchRows; rows++ {
		if rows&4095 == 0 && ctx.Err() != nil {
			return 0, ctx.Err()
		}
		line, err := r.p.next()
		if err == io.EOF {
			r.eof = true
			break
		}
		if err != nil {
			return 0, wrapParseError(r.url, line, err)
		}
		if err := r.appendRecord(line); err != nil {
			return 0, err
		}
	}
	return rows, nil
}

func (r *reader) appendRecord(line int64) error {
	if len(r.p.fields) != r.width {
		return fieldCountError(r.url, line, r.width, len(r.p.fields))
	}
	for _, c := range r.cols {
		f := r.p.fields[c.field]
		v := r.p.buf[f.start:f.end]
		if isNull(v, f.quoted, c.isString, &r.o) {
			c.app.AppendNull()
			continue
		}
		if err := c.app.Append(v); err != nil {
			return &format.DataError{File: r.url, Line: line, Column: c.name, Err: err}
		}
	}
	return nil
}

func (r *reader) flush(rows int) arrow.RecordBatch {
	arrs := make([]arrow.Array, len(r.cols))
	for i, c := range r.cols {
		arrs[i] = c.app.NewArray()
	}
	rec := array.NewRecordBatch(r.schema, arrs, int64(rows))
	for _, a := range arrs {
		a.Release()
	}
	return rec
}

func (r *reader) releaseColumns() {
	for _, c := range r.cols {
		c.app.Release()
	}
	r.cols = nil
}

// Close releases the builders and the file; safe to call twice.
func (r *reader) Close() error {
	r.releaseColumns()
	r.eof = true
	if r.file == nil {
		return nil
	}
	err := r.file.Close()
	r.file = nil
	return err
}
