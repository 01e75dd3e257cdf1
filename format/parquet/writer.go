package parquetfmt

import (
	"bufio"
	"context"
	"fmt"
	"github.com/drover-etl/drover/batch"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/format/csv/textcol"
)

// writer writes one Parquet file with buffered row groups. The file
// writer is created with the first batch, which decides the columns'
// encodings (see dictionaryChoices).
type writer struct {
	fw     *pqarrow.FileWriter
	bw     *bufio.Writer
	schema *arrow.Schema // what is written; batches are converted to it
	o      writeOptions
	rgSize int64 // Arrow bytes buffered in the current row group
	out    int64 // file bytes pqarrow has emitted (finished row groups)
}

var _ format.Writer = (*writer)(nil)

// writeOnly hides Close: pqarrow closes a sink that has one, and the
// format contract leaves the io.Writer open. It counts what it passes.
type writeOnly struct {
	w *bufio.Writer
	n *int64
}

func (o writeOnly) Write(p []byte) (int, error) {
	n, err := o.w.Write(p)
	*o.n += int64(n)
	return n, err
}

// Bytes is the size of the file so far without the row group being
// filled: it grows a row group at a time, which is where a sink with a
// target file size rolls (format.Sizer).
func (w *writer) Bytes() int64 { return w.out }

var _ format.Sizer = (*writer)(nil)

// BufferedBytes is what the writer holds in memory: the row group being
// filled (as Arrow data) and its output buffer (format.Buffered).
func (w *writer) BufferedBytes() int64 { return w.rgSize + int64(w.bw.Size()) }

var _ format.Buffered = (*writer)(nil)

func newWriter(w io.Writer, schema *arrow.Schema, o writeOptions) (*writer, error) {
	wr := &writer{bw: bufio.NewWriterSize(w, 1<<20), schema: writeSchema(schema), o: o}
	if err := checkWritable(wr.schema); err != nil {
		return nil, err
	}
	return wr, nil
}

// checkWritable fails early, as creating the file writer would, for a
// schema Parquet cannot hold.
func checkWritable(schema *arrow.Schema) error {
	if _, err := pqarrow.ToParquet(schema, nil, pqarrow.DefaultWriterProps()); err != nil {
		return fmt.Errorf("parquet: %w", err)
	}
	return nil
}

// start creates the file writer; first (nil for an empty file) is the
// first batch, in the stored types.
func (w *writer) start(first arrow.RecordBatch) error {
	opts := []parquet.WriterProperty{
		parquet.WithAllocator(mem),
		parquet.WithCompression(w.o.codec),
		parquet.WithMaxRowGroupLength(w.o.rowGroupRows),
		parquet.WithStoreDecimalAsInteger(true),
		parquet.WithDictionaryDefault(true),
		parquet.WithStats(true),
	}
	if first != nil {
		opts = append(opts, dictionaryChoices(first)...)
	}
	aprops := pqarrow.NewArrowWriterProperties(pqarrow.WithAllocator(mem),
		pqarrow.WithCoerceTimestamps(arrow.Microsecond), pqarrow.WithTruncatedTimestamps(true))
	fw, err := pqarrow.NewFileWriter(w.schema, writeOnly{w: w.bw, n: &w.out}, parquet.NewWriterProperties(opts...), aprops)
	if err != nil {
		return fmt.Errorf("parquet: %w", err)
	}
	w.fw = fw
	return nil
}

// writeSchema is the schema as stored: dictionaries as their values,
// timestamps as µs UTC (TIMESTAMP(MICROS, isAdjustedToUTC=true)), every
// column optional so that a NULL never fails a write.
func writeSchema(in *arrow.Schema) *arrow.Schema {
	fields := make([]arrow.Field, in.NumFields())
	for i, f := range in.Fields() {
		// Metadata carries PARQUET:field_id for Iceberg table files.
		fields[i] = arrow.Field{Name: f.Name, Type: storedType(f.Type), Nullable: true, Metadata: f.Metadata}
	}
	return arrow.NewSchema(fields, nil)
}

func storedType(t arrow.DataType) arrow.DataType {
	switch dt := t.(type) {
	case *arrow.DictionaryType:
		return storedType(dt.ValueType)
	case *arrow.TimestampType:
		return &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	}
	return t
}

// Write adds a batch to the current row group, starting a new one when
// it holds row_group_bytes of Arrow data (rows are capped by pqarrow
// itself). The row group stays in memory until it is complete, so this
// also bounds the writer's memory. The encoded size cannot serve: pqarrow
// reports nothing until dictionary-encoded pages are flushed.
func (w *writer) Write(rec arrow.RecordBatch) error {
	if int(rec.NumCols()) != w.schema.NumFields() {
		return fmt.Errorf("parquet: batch has %d columns, writer %d", rec.NumCols(), w.schema.NumFields())
	}
	if rec.NumRows() == 0 {
		return nil
	}
	out, err := w.conform(rec)
	if err != nil {
		return err
	}
	defer out.Release()
	if w.fw == nil {
		if err := w.start(out); err != nil {
			return err
		}
	}
	if err := w.fw.WriteBuffered(out); err != nil {
		return fmt.Errorf("parquet: write: %w", err)
	}
	w.rgSize += recordBytes(out)
	if w.rgSize >= w.o.rowGroupBytes {
		w.rgSize = 0
		if err := w.fw.NewBufferedRowGroupChecked(); err != nil {
			return fmt.Errorf("parquet: write: %w", err)
		}
	}
	return nil
}

// Flush ends the row group being filled early, sending it to the
// underlying writer (format.Flusher): the sink calls it when the memory
// budget cannot hold a whole row_group_bytes.
func (w *writer) Flush() error {
	if w.fw == nil || w.rgSize == 0 {
		return nil
	}
	w.rgSize = 0
	if err := w.fw.NewBufferedRowGroupChecked(); err != nil {
		return fmt.Errorf("parquet: write: %w", err)
	}
	return nil
}

// conform converts a batch's columns to the stored types.
func (w *writer) conform(rec arrow.RecordBatch) (arrow.RecordBatch, error) {
	cols := make([]arrow.Array, rec.NumCols())
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i, c := range rec.Columns() {
		a, err := conformArray(c, w.schema.Field(i).Type)
		if err != nil {
			return nil, fmt.Errorf("parquet: column %q: %w", w.schema.Field(i).Name, err)
		}
		cols[i] = a
	}
	return array.NewRecordBatch(w.schema, cols, rec.NumRows()), nil
}

func conformArray(c arrow.Array, want arrow.DataType) (arrow.Array, error) {
	if arrow.TypeEqual(c.DataType(), want) {
		c.Retain()
		return c, nil
	}
	switch dt := c.DataType().(type) {
	case *arrow.DictionaryType:
		plain, err := compute.CastArray(context.Background(), c, compute.SafeCastOptions(dt.ValueType))
		if err != nil {
			return nil, err
		}
		defer plain.Release()
		return conformArray(plain, want)
	case *arrow.TimestampType:
		if dt.Unit == arrow.Microsecond {
			return retype(c, want), nil
		}
		toMicros := textcol.MicrosConverter(dt.Unit)
		a, _, err := mapFixed(c, want, func(v arrow.Timestamp) (arrow.Timestamp, bool) {
			return arrow.Timestamp(toMicros(int64(v))), true
		})
		return a, err
	}
	return nil, fmt.Errorf("cannot write %s as %s", c.DataType(), want)
}

// recordBytes is batch.Bytes.
func recordBytes(rec arrow.RecordBatch) int64 { return batch.Bytes(rec) }

// Close writes the footer and flushes.
func (w *writer) Close() error {
	if w.fw == nil {
		if err := w.start(nil); err != nil {
			return err
		}
	}
	if err := w.fw.Close(); err != nil {
		return fmt.Errorf("parquet: close: %w", err)
	}
	if err := w.bw.Flush(); err != nil {
		return fmt.Errorf("parquet: close: %w", err)
	}
	return nil
}
