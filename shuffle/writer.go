package shuffle

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	arrowmem "github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/spill"
	"github.com/drover-etl/drover/storage"
)

// Index is the footer: partition i is bytes [Offsets[i], Offsets[i+1]).
type Index struct {
	Offsets []int64 `json:"offsets"`
	Rows    []int64 `json:"rows"`
}

// Writer collects one map task's output, partition by partition, as
// IPC streams (one per partition), LZ4-compressed unless Uncompressed. The encoded bytes are held
// in memory within a reservation from the executor's pool (WithMemory);
// when it is refused they move to a spill file (package spill) as runs, and Commit
// streams each partition's runs then its remainder into the object, so
// neither the map output nor the upload is ever held whole. A run is a
// slice of the partition's one IPC stream, so the object is the same
// whether or not anything spilled.
type Writer struct {
	schema *arrow.Schema
	parts  []*partStream
	rows   []int64
	mem    []int64 // Arrow buffer bytes written per partition

	res      *memory.Reservation // nil: held without a budget
	pool     *memory.Pool
	held     int64 // bytes reserved: the buffers' capacity
	upload   int64 // bytes reserved for the store's upload buffers
	spillDir spill.Dir
	spill    spill.Writer // the runs, all partitions interleaved
	runs     spill.File   // the same, finished for reading (Commit)
	spilled  int64
	plain    bool // IPC bodies uncompressed (Uncompressed)
}

// partStream is one partition's IPC stream: runs already spilled, then
// the bytes still in memory.
type partStream struct {
	buf  encoded
	ipc  *ipc.Writer
	runs []run
}

// run is a spilled range of the spill file.
type run struct{ off, n int64 }

// Option configures a Writer.
type Option func(*Writer)

// WithMemory bounds the buffered output by a reservation from pool,
// spilling runs to a file in dir (nil: the OS temp dir) when refused.
func WithMemory(pool *memory.Pool, dir spill.Dir) Option {
	return func(w *Writer) {
		if dir == nil {
			dir = spill.Local("")
		}
		w.res, w.pool, w.spillDir = pool.Consumer("shuffle writer", true), pool, dir
	}
}

// Uncompressed writes the partitions' IPC bodies without LZ4. For a
// shuffle on the local disk (drover run), where compressing costs more CPU
// than the bytes it saves (LZ4 took over a quarter of the CPU of a
// lineitem ⋈ orders). Readers take either.
func Uncompressed() Option { return func(w *Writer) { w.plain = true } }

// NewWriter prepares a writer for parts partitions of schema. Dictionary
// columns must have been unpacked by the caller (the schema is plain).
// Close it when done, committed or not.
func NewWriter(schema *arrow.Schema, parts int, opts ...Option) *Writer {
	w := &Writer{schema: schema, parts: make([]*partStream, parts), rows: make([]int64, parts), mem: make([]int64, parts)}
	for _, o := range opts {
		o(w)
	}
	return w
}

// Write appends rec to partition part.
func (w *Writer) Write(part int, rec arrow.RecordBatch) error {
	if rec.NumRows() == 0 {
		return nil
	}
	ps := w.parts[part]
	if ps == nil {
		ps = &partStream{}
		opts := []ipc.Option{ipc.WithSchema(w.schema), ipc.WithAllocator(arrowmem.DefaultAllocator)}
		if !w.plain {
			opts = append(opts, ipc.WithLZ4())
		}
		ps.ipc = ipc.NewWriter(&ps.buf, opts...)
		w.parts[part] = ps
	}
	w.rows[part] += rec.NumRows()
	w.mem[part] += RecordMemBytes(rec)
	before := ps.buf.cap()
	if err := ps.ipc.Write(rec); err != nil {
		return fmt.Errorf("shuffle: encode partition %d: %w", part, err)
	}
	return w.reserve(int64(ps.buf.cap() - before))
}

// reserve accounts for the buffers' growth by n bytes (of capacity),
// spilling them all when the pool refuses it.
func (w *Writer) reserve(n int64) error {
	if w.res == nil || n <= 0 {
		return nil
	}
	if w.res.TryGrow(n) == nil {
		w.held += n
		return nil
	}
	w.res.Grow(n) // in memory already, until spilled just below
	w.held += n
	return w.spillRuns()
}

// spillRuns moves every partition's buffered bytes to the spill file.
func (w *Writer) spillRuns() error {
	if w.spill == nil {
		f, err := w.spillDir.Create("shuffle", w.pool)
		if err != nil {
			return fmt.Errorf("shuffle spill: %w", err)
		}
		w.spill = f
	}
	for _, ps := range w.parts {
		if ps == nil {
			continue
		}
		if ps.buf.len() == 0 {
			ps.buf.reset() // its capacity was reserved too
			continue
		}
		off := w.spilled
		if _, err := ps.buf.writeTo(w.spill); err != nil {
			return fmt.Errorf("shuffle spill to %s: %w", w.spill.Name(), err)
		}
		ps.runs = append(ps.runs, run{off, int64(ps.buf.len())})
		w.spilled += int64(ps.buf.len())
		ps.buf.reset()
	}
	w.res.Shrink(w.held)
	w.held = 0
	return nil
}

// Mem is each partition's size in memory so far: the Arrow buffer bytes
// of the records written to it (see RecordMemBytes).
func (w *Writer) Mem() []int64 { return w.mem }

// RecordMemBytes is the bytes of rec's Arrow buffers (data, offsets,
// validity, children and dictionaries): what a reader holds once it has
// decoded rec. A sliced record counts its whole buffers.
func RecordMemBytes(rec arrow.RecordBatch) int64 {
	var n int64
	for _, col := range rec.Columns() {
		n += dataBytes(col.Data())
	}
	return n
}

func dataBytes(d arrow.ArrayData) int64 {
	var n int64
	for _, b := range d.Buffers() {
		if b != nil {
			n += int64(b.Len())
		}
	}
	for _, c := range d.Children() {
		n += dataBytes(c)
	}
	if d.DataType().ID() == arrow.DICTIONARY {
		n += dataBytes(d.Dictionary())
	}
	return n
}

// Spilled is how many bytes went through the spill file.
func (w *Writer) Spilled() int64 { return w.spilled }

// Bytes is the encoded size so far.
func (w *Writer) Bytes() int64 {
	n := w.spilled
	for _, ps := range w.parts {
		if ps != nil {
			n += int64(ps.buf.len())
		}
	}
	return n
}

// Commit writes the object to loc and returns bytes and rows per partition.
// What the store buffers while uploading (S3's parts) is reserved first;
// when the budget refuses it, the partitions' bytes move to the spill
// file to make room, and the upload goes ahead anyway (it is bounded).
func (w *Writer) Commit(ctx context.Context, loc storage.Location) (bytesPer, rowsPer []int64, err error) {
	if err := w.reserveUpload(storage.UploadBuffer(loc.Store)); err != nil {
		return nil, nil, err
	}
	defer w.releaseUpload()
	if err := w.finishRuns(); err != nil {
		return nil, nil, err
	}
	out, err := loc.Store.Create(ctx, loc.Key)
	if err != nil {
		return nil, nil, err
	}
	idx := Index{Offsets: make([]int64, len(w.parts)+1), Rows: w.rows}
	bytesPer = make([]int64, len(w.parts))
	var off int64
	for i := range w.parts {
		idx.Offsets[i] = off
		n, err := w.copyPartition(out, i)
		if err != nil {
			out.Abort()
			return nil, nil, err
		}
		bytesPer[i] = n
		off += n
	}
	idx.Offsets[len(w.parts)] = off
	if err := writeFooter(out, idx); err != nil {
		out.Abort()
		return nil, nil, err
	}
	return bytesPer, w.rows, out.Close()
}

// finishRuns completes the spill file, if any, for reading the runs back.
func (w *Writer) finishRuns() error {
	if w.spill == nil || w.runs != nil {
		return nil
	}
	f, err := w.spill.Finish()
	if err != nil {
		return fmt.Errorf("shuffle spill: %w", err)
	}
	w.runs = f
	return nil
}

// footerRoom is what the index and the streams' ends add to the object,
// more than enough for the upload reservation of a small object.
const footerRoom = 64 << 10

// reserveUpload reserves what the store's writer will buffer: at most
// buffer bytes, and never more than the object, which a store that
// buffers holds whole when it is small (one PUT).
func (w *Writer) reserveUpload(buffer int64) error {
	if w.res == nil || buffer <= 0 {
		return nil
	}
	n := min(buffer, w.Bytes()+footerRoom+int64(len(w.parts))*64)
	if w.res.TryGrow(n) != nil {
		if err := w.spillRuns(); err != nil {
			return err
		}
		w.res.Grow(n) // the upload must make progress; it is bounded
	}
	w.upload = n
	return nil
}

// releaseUpload gives back the upload's reservation.
func (w *Writer) releaseUpload() {
	if w.res != nil && w.upload > 0 {
		w.res.Shrink(w.upload)
		w.upload = 0
	}
}

// release gives back the reservation of a partition's buffer of capacity c
// once it is written out.
func (w *Writer) release(c int) {
	if w.res == nil || c == 0 {
		return
	}
	n := min(int64(c), w.held)
	w.res.Shrink(n)
	w.held -= n
}

// copyPartition ends partition i's stream and writes it to out: its runs,
// then its buffered bytes.
func (w *Writer) copyPartition(out io.Writer, i int) (int64, error) {
	ps := w.parts[i]
	if ps == nil {
		return 0, nil
	}
	if err := ps.ipc.Close(); err != nil {
		return 0, fmt.Errorf("shuffle: close partition %d: %w", i, err)
	}
	var total int64
	for _, r := range ps.runs {
		n, err := io.Copy(out, w.runs.Section(r.off, r.n))
		total += n
		if err != nil {
			return total, fmt.Errorf("shuffle: partition %d from spill %s: %w", i, w.runs.Name(), err)
		}
	}
	n, err := ps.buf.writeTo(out)
	c := ps.buf.cap()
	ps.buf.reset()
	w.release(c) // the store's copy is within the upload's reservation
	return total + n, err
}

// Close removes the spill file and gives the memory back.
func (w *Writer) Close() {
	if w.runs != nil {
		w.runs.Remove()
	} else if w.spill != nil {
		w.spill.Abort()
	}
	w.spill, w.runs = nil, nil
	for _, ps := range w.parts {
		if ps != nil {
			ps.buf.reset()
		}
	}
	if w.res != nil {
		w.res.Free()
		w.held = 0
	}
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
