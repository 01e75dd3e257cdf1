package csvfmt

import (
	"bufio"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/csv/textcol"
)

// writer renders batches as RFC 4180 records.
type writer struct {
	w       *bufio.Writer
	z       io.WriteCloser // the compressor under w (or a no-op)
	schema  *arrow.Schema
	o       options
	special [256]bool // bytes that force quoting
	line    []byte
	fmts    []textcol.Formatter
	header  bool // header still to write
}

var _ format.Writer = (*writer)(nil)

func newWriter(w io.WriteCloser, schema *arrow.Schema, o options) (*writer, error) {
	if o.quote == 0 {
		o.quote = '"'
	}
	wr := &writer{
		w:      bufio.NewWriterSize(w, 1<<20),
		z:      w,
		schema: schema,
		o:      o,
		fmts:   make([]textcol.Formatter, schema.NumFields()),
		header: o.header,
	}
	for _, c := range []byte{o.delim, o.quote, '\n', '\r'} {
		wr.special[c] = true
	}
	return wr, nil
}

// needsQuote reports whether v must be quoted to read back the same.
func (w *writer) needsQuote(v []byte) bool {
	if len(v) == 0 || (w.o.hasNull && string(v) == w.o.null) {
		return true
	}
	for _, c := range v {
		if w.special[c] {
			return true
		}
	}
	return false
}

// Write appends one record per row.
func (w *writer) Write(rec arrow.RecordBatch) error {
	if int(rec.NumCols()) != w.schema.NumFields() {
		return fmt.Errorf("csv: batch has %d columns, writer %d", rec.NumCols(), w.schema.NumFields())
	}
	if err := w.writeHeader(); err != nil {
		return err
	}
	for i, col := range rec.Columns() {
		f, err := textcol.NewFormatter(col)
		if err != nil {
			return fmt.Errorf("csv: column %q: %w", w.schema.Field(i).Name, err)
		}
		w.fmts[i] = f
	}
	for row := 0; row < int(rec.NumRows()); row++ {
		w.line = w.line[:0]
		for i, col := range rec.Columns() {
			if i > 0 {
				w.line = append(w.line, w.o.delim)
			}
			w.line = w.appendValue(w.line, col, w.fmts[i], row)
		}
		w.line = append(w.line, '\n')
		if _, err := w.w.Write(w.line); err != nil {
			return fmt.Errorf("csv: write: %w", err)
		}
	}
	// Hand each batch on, so a sink sees its file grow (target_file_size);
	// the buffer still gathers the batch's rows into large writes.
	if err := w.w.Flush(); err != nil {
		return fmt.Errorf("csv: write: %w", err)
	}
	return nil
}

// appendValue writes NULL as the null marker (default: nothing) and
// quotes values that would otherwise read back differently.
func (w *writer) appendValue(dst []byte, col arrow.Array, f textcol.Formatter, row int) []byte {
	if col.IsNull(row) {
		return append(dst, w.o.null...)
	}
	start := len(dst)
	dst = f(dst, row)
	if !w.needsQuote(dst[start:]) {
		return dst
	}
	return w.quoteTail(dst, start)
}

// quoteTail rewrites dst[start:] as a quoted field with doubled quotes.
func (w *writer) quoteTail(dst []byte, start int) []byte {
	v := append([]byte(nil), dst[start:]...)
	dst = append(dst[:start], w.o.quote)
	for _, c := range v {
		if c == w.o.quote {
			dst = append(dst, c)
		}
		dst = append(dst, c)
	}
	return append(dst, w.o.quote)
}

func (w *writer) writeHeader() error {
	if !w.header {
		return nil
	}
	w.header = false
	w.line = w.line[:0]
	for i, f := range w.schema.Fields() {
		if i > 0 {
			w.line = append(w.line, w.o.delim)
		}
		start := len(w.line)
		w.line = append(w.line, f.Name...)
		if w.needsQuote(w.line[start:]) {
			w.line = w.quoteTail(w.line, start)
		}
	}
	w.line = append(w.line, '\n')
	_, err := w.w.Write(w.line)
	return err
}

// Close writes the header of an empty file, flushes and ends the
// compressed stream.
func (w *writer) Close() error {
	if err := w.writeHeader(); err != nil {
		return fmt.Errorf("csv: write: %w", err)
	}
	if err := w.w.Flush(); err != nil {
		return fmt.Errorf("csv: write: %w", err)
	}
	if err := w.z.Close(); err != nil {
		return fmt.Errorf("csv: finish compression: %w", err)
	}
	return nil
}
