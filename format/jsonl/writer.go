package jsonlfmt

import (
	"bufio"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/csv/textcol"
)

// valueStyle says how a column's text goes into JSON.
type valueStyle uint8

const (
	styleRaw    valueStyle = iota // numbers and booleans
	styleString                   // quoted and escaped
	styleFloat                    // numbers, non-finite values as strings
)

// writer renders batches as JSON lines.
type writer struct {
	w      *bufio.Writer
	z      io.WriteCloser // the compressor under w (or a no-op)
	schema *arrow.Schema
	keys   [][]byte // `"name":` per column, escaped once
	styles []valueStyle
	fmts   []textcol.Formatter
	line   []byte
	text   []byte
}

var _ format.Writer = (*writer)(nil)

func newWriter(w io.WriteCloser, schema *arrow.Schema) *writer {
	wr := &writer{w: bufio.NewWriterSize(w, 1<<20), z: w, schema: schema, fmts: make([]textcol.Formatter, schema.NumFields())}
	for _, f := range schema.Fields() {
		key := appendJSONString(nil, []byte(f.Name))
		wr.keys = append(wr.keys, append(key, ':'))
		wr.styles = append(wr.styles, styleOf(f.Type))
	}
	return wr
}

func styleOf(t arrow.DataType) valueStyle {
	if d, ok := t.(*arrow.DictionaryType); ok {
		t = d.ValueType
	}
	switch t.ID() {
	case arrow.BOOL, arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.DECIMAL128:
		return styleRaw
	case arrow.FLOAT32, arrow.FLOAT64:
		return styleFloat
	}
	return styleString
}

// Write appends one line per row.
func (w *writer) Write(rec arrow.RecordBatch) error {
	if int(rec.NumCols()) != w.schema.NumFields() {
		return fmt.Errorf("jsonl: batch has %d columns, writer %d", rec.NumCols(), w.schema.NumFields())
	}
	for i, col := range rec.Columns() {
		f, err := textcol.NewFormatter(col)
		if err != nil {
			return fmt.Errorf("jsonl: column %q: %w", w.schema.Field(i).Name, err)
		}
		w.fmts[i] = f
	}
	for row := 0; row < int(rec.NumRows()); row++ {
		w.line = append(w.line[:0], '{')
		for i, col := range rec.Columns() {
			if i > 0 {
				w.line = append(w.line, ',')
			}
			w.line = append(w.line, w.keys[i]...)
			w.line = w.appendValue(w.line, i, col, row)
		}
		w.line = append(w.line, '}', '\n')
		if _, err := w.w.Write(w.line); err != nil {
			return fmt.Errorf("jsonl: write: %w", err)
		}
	}
	// Hand each batch on, so a sink sees its file grow (target_file_size);
	// the buffer still gathers the batch's rows into large writes.
	if err := w.w.Flush(); err != nil {
		return fmt.Errorf("jsonl: write: %w", err)
	}
	return nil
}

func (w *writer) appendValue(dst []byte, i int, col arrow.Array, row int) []byte {
	if col.IsNull(row) {
		return append(dst, "null"...)
	}
	switch w.styles[i] {
	case styleRaw:
		return w.fmts[i](dst, row)
	case styleFloat:
		w.text = w.fmts[i](w.text[:0], row)
		switch string(w.text) {
		case "NaN":
			return append(dst, `"NaN"`...)
		case "+Inf":
			return append(dst, `"Infinity"`...)
		case "-Inf":
			return append(dst, `"-Infinity"`...)
		}
		return append(dst, w.text...)
	}
	w.text = w.fmts[i](w.text[:0], row)
	return appendJSONString(dst, w.text)
}

// Close flushes and ends the compressed stream.
func (w *writer) Close() error {
	if err := w.w.Flush(); err != nil {
		return fmt.Errorf("jsonl: write: %w", err)
	}
	if err := w.z.Close(); err != nil {
		return fmt.Errorf("jsonl: finish compression: %w", err)
	}
	return nil
}
