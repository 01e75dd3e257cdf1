package jsonlfmt

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
)

// reader streams the objects of one file as batches.
type reader struct {
	url       string
	ctx       context.Context // of the Next call, for counting lines in errors
	file      *textfile.File
	lines     *textcol.LineReader
	sc        scanner
	cols      []column
	index     map[string]int // key → position in cols
	seen      []int64        // row number that last set each column
	row       int64
	schema    *arrow.Schema
	batchRows int
	err       error // sticky: a failed batch leaves the builders half full
	eof       bool
}

var _ batch.Reader = (*reader)(nil)

// Open reads the lines that start in the split (a whole file or a byte
// range).
func (Format) Open(ctx context.Context, split format.Split, ro format.ReadOptions) (batch.Reader, error) {
	o, err := parseOptions(ro.Options)
	if err != nil {
		return nil, err
	}
	r := &reader{url: split.URL, batchRows: ro.BatchRows, index: map[string]int{}}
	if r.batchRows <= 0 {
		r.batchRows = defaultBatchRows
	}
	if err := r.buildColumns(ro, o.parse); err != nil {
		return nil, err
	}
	f, err := textfile.Open(ctx, split, o.compression)
	if err != nil {
		r.releaseColumns()
		return nil, fmt.Errorf("jsonl: %w", err)
	}
	r.file = f
	if r.lines, err = f.Lines(); err != nil {
		r.Close()
		return nil, fmt.Errorf("jsonl: %w", err)
	}
	return r, nil
}

func (r *reader) buildColumns(ro format.ReadOptions, o textcol.Options) error {
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
		fields[i] = arrow.Field{Name: f.Name, Type: f.Type.Arrow(), Nullable: f.Nullable}
		if _, dup := r.index[f.Name]; dup {
			continue // the same key projected twice: filled once, copied in flush
		}
		app, err := textcol.NewAppender(memory.DefaultAllocator, f.Type, o)
		if err != nil {
			r.releaseColumns()
			return fmt.Errorf("jsonl: column %q: %w", f.Name, err)
		}
		r.index[f.Name] = len(r.cols)
		r.cols = append(r.cols, column{name: f.Name, t: f.Type, app: app})
	}
	r.seen = make([]int64, len(r.cols))
	r.schema = arrow.NewSchema(fields, nil)
	return nil
}

func (r *reader) Schema() *arrow.Schema { return r.schema }

// Next parses up to batchRows lines.
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

func (r *reader) fill(ctx context.Context) (int, error) {
	for _, c := range r.cols {
		c.app.Reserve(r.batchRows)
	}
	r.ctx = ctx
	rows := 0
	for rows < r.batchRows {
		if rows&4095 == 0 && ctx.Err() != nil {
			return 0, ctx.Err()
		}
		if !r.file.Owns(r.lines.Consumed()) {
			r.eof = true
			break
		}
		line, err := r.lines.Next()
		if err == io.EOF {
			r.eof = true
			break
		}
		if err != nil {
			return 0, fmt.Errorf("jsonl: read %s: %w", r.url, err)
		}
		if blank(line) {
			continue
		}
		if err := r.parseLine(textcol.TrimEOL(line)); err != nil {
			return 0, err
		}
		rows++
	}
	return rows, nil
}

// blank reports whether a line holds only whitespace. Real lines start
// with '{', so this costs one comparison for them.
func blank(line []byte) bool {
	for _, c := range line {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return false
		}
	}
	return true
}

// flush builds the batch; a column projected twice shares its array.
func (r *reader) flush(rows int) arrow.RecordBatch {
	built := make([]arrow.Array, len(r.cols))
	for i, c := range r.cols {
		built[i] = c.app.NewArray()
	}
	arrs := make([]arrow.Array, r.schema.NumFields())
	for i, f := range r.schema.Fields() {
		arrs[i] = built[r.index[f.Name]]
	}
	rec := array.NewRecordBatch(r.schema, arrs, int64(rows))
	for _, a := range built {
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
