package shuffle

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/storage"
)

// Index is the footer: partition i is bytes [Offsets[i], Offsets[i+1]).
type Index struct {
	Offsets []int64 `json:"offsets"`
	Rows    []int64 `json:"rows"`
}

// Writer collects one map task's output, partition by partition, in memory
// as compressed IPC streams.
type Writer struct {
	schema *arrow.Schema
	bufs   []*bytes.Buffer
	ipcs   []*ipc.Writer
	rows   []int64
}

// NewWriter prepares a writer for parts partitions of schema. Dictionary
// columns must have been unpacked by the caller (the schema is plain).
func NewWriter(schema *arrow.Schema, parts int) *Writer {
	return &Writer{schema: schema, bufs: make([]*bytes.Buffer, parts), ipcs: make([]*ipc.Writer, parts), rows: make([]int64, parts)}
}

// Write appends rec to partition part.
func (w *Writer) Write(part int, rec arrow.RecordBatch) error {
	if rec.NumRows() == 0 {
		return nil
	}
	if w.ipcs[part] == nil {
		w.bufs[part] = new(bytes.Buffer)
		w.ipcs[part] = ipc.NewWriter(w.bufs[part], ipc.WithSchema(w.schema), ipc.WithLZ4(), ipc.WithAllocator(memory.DefaultAllocator))
	}
	w.rows[part] += rec.NumRows()
	if err := w.ipcs[part].Write(rec); err != nil {
		return fmt.Errorf("shuffle: encode partition %d: %w", part, err)
	}
	return nil
}

// Bytes is the buffered size so far.
func (w *Writer) Bytes() int64 {
	var n int64
	for _, b := range w.bufs {
		if b != nil {
			n += int64(b.Len())
		}
	}
	return n
}

// Commit writes the object to loc and returns bytes and rows per partition.
func (w *Writer) Commit(ctx context.Context, loc storage.Location) (bytesPer, rowsPer []int64, err error) {
	out, err := loc.Store.Create(ctx, loc.Key)
	if err != nil {
		return nil, nil, err
	}
	idx := Index{Offsets: make([]int64, len(w.bufs)+1), Rows: w.rows}
	bytesPer = make([]int64, len(w.bufs))
	var off int64
	for i, b := range w.bufs {
		idx.Offsets[i] = off
		if b == nil {
			continue
		}
		if err := w.ipcs[i].Close(); err != nil {
			out.Abort()
			return nil, nil, fmt.Errorf("shuffle: close partition %d: %w", i, err)
		}
		n, err := out.Write(b.Bytes())
		if err != nil {
			out.Abort()
			return nil, nil, err
		}
		bytesPer[i] = int64(n)
		off += int64(n)
	}
	idx.Offsets[len(w.bufs)] = off
	if err := writeFooter(out, idx); err != nil {
		out.Abort()
		return nil, nil, err
	}
	return bytesPer, w.rows, out.Close()
}

func writeFooter(out storage.Writer, idx Index) error {
	js, err := json.Marshal(idx)
	if err != nil {
		return err
	}
	var tail [8]byte
	binary.LittleEndian.PutUint64(tail[:], uint64(len(js)))
	if _, err := out.Write(js); err != nil {
		return err
	}
	_, err = out.Write(tail[:])
	return err
}
