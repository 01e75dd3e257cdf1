package udf

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Payloads are Arrow IPC streams: a schema alone, or a schema and one
// record batch. A self-contained stream per message costs a schema message
// (a few hundred bytes) each time, and buys statelessness: any message can
// be decoded alone, by any Arrow library.

// EncodeSchema writes s as an IPC stream with no batches.
func EncodeSchema(s *arrow.Schema) ([]byte, error) {
	var buf bytes.Buffer
	w := ipc.NewWriter(&buf, ipc.WithSchema(s))
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("%w: encode schema: %w", ErrProtocol, err)
	}
	return buf.Bytes(), nil
}

// DecodeSchema reads the schema of an IPC stream.
func DecodeSchema(b []byte) (*arrow.Schema, error) {
	r, err := ipc.NewReaderFromMessageReader(newSliceMessages(b))
	if err != nil {
		return nil, fmt.Errorf("%w: decode schema: %w", ErrProtocol, err)
	}
	defer r.Release()
	return r.Schema(), nil
}

// EncodeBatch writes rec as an IPC stream of one batch. The buffer is
// sized up front: growing it would copy the data again.
func EncodeBatch(rec arrow.RecordBatch) ([]byte, error) {
	buf := bytes.NewBuffer(make([]byte, 0, batchBytes(rec)+1024+256*int(rec.NumCols())))
	w := ipc.NewWriter(buf, ipc.WithSchema(rec.Schema()))
	if err := w.Write(rec); err != nil {
		w.Close()
		return nil, fmt.Errorf("%w: encode batch: %w", ErrProtocol, err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("%w: encode batch: %w", ErrProtocol, err)
	}
	return buf.Bytes(), nil
}

// segments is an IPC stream as a list of byte slices: the writer's small
// writes (message headers, padding) copied, its large ones (array buffers)
// referenced, so encoding a batch copies next to nothing. The batch must
// outlive the segments; the encoder's own buffers (a sliced array's
// rebased offsets) come from the Go allocator, so the GC keeps them.
type segments struct {
	segs  [][]byte
	small []byte
	size  int
}

var _ io.Writer = (*segments)(nil)

// aliasMin is the smallest write referenced rather than copied.
const aliasMin = 4 << 10

var goAlloc = memory.NewGoAllocator()

func encodeSegments(rec arrow.RecordBatch) (*segments, error) {
	s := &segments{}
	w := ipc.NewWriter(s, ipc.WithSchema(rec.Schema()), ipc.WithAllocator(goAlloc))
	if err := w.Write(rec); err != nil {
		w.Close()
		return nil, fmt.Errorf("%w: encode batch: %w", ErrProtocol, err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("%w: encode batch: %w", ErrProtocol, err)
	}
	s.flush()
	return s, nil
}

func (s *segments) Write(p []byte) (int, error) {
	s.size += len(p)
	if len(p) < aliasMin {
		s.small = append(s.small, p...)
		return len(p), nil
	}
	s.flush()
	s.segs = append(s.segs, p)
	return len(p), nil
}

func (s *segments) flush() {
	if len(s.small) > 0 {
		s.segs = append(s.segs, s.small)
		s.small = nil
	}
}

// join copies the segments into one slice.
func (s *segments) join() []byte {
	out := make([]byte, 0, s.size)
	for _, b := range s.segs {
		out = append(out, b...)
	}
	return out
}

// DecodeBatch reads the one batch of an IPC stream. The arrays point into
// b (no copy), so b must not be reused; the caller releases the batch.
func DecodeBatch(b []byte) (arrow.RecordBatch, error) {
	r, err := ipc.NewReaderFromMessageReader(newSliceMessages(b))
	if err != nil {
		return nil, fmt.Errorf("%w: decode batch: %w", ErrProtocol, err)
	}
	defer r.Release()
	if !r.Next() {
		if r.Err() != nil {
			return nil, fmt.Errorf("%w: decode batch: %w", ErrProtocol, r.Err())
		}
		return nil, fmt.Errorf("%w: the stream holds no batch", ErrProtocol)
	}
	rec := r.RecordBatch()
	rec.Retain()
	return rec, nil
}

// sliceMessages reads IPC messages straight out of a byte slice: message
// bodies are sub-slices, not copies (ipc.NewReader would copy every body
// into a fresh buffer).
type sliceMessages struct {
	refs atomic.Int64
	b    []byte
	msg  *ipc.Message
}

var _ ipc.MessageReader = (*sliceMessages)(nil)

func newSliceMessages(b []byte) *sliceMessages {
	m := &sliceMessages{b: b}
	m.refs.Add(1)
	return m
}

func (m *sliceMessages) Retain() { m.refs.Add(1) }

func (m *sliceMessages) Release() {
	if m.refs.Add(-1) == 0 && m.msg != nil {
		m.msg.Release()
		m.msg = nil
	}
}

// continuation marks an IPC message (the format since Arrow 0.15).
const continuation = 0xFFFFFFFF

// Message implements ipc.MessageReader.
func (m *sliceMessages) Message() (*ipc.Message, error) {
	metaLen, err := m.header()
	if err != nil || metaLen == 0 {
		return nil, err
	}
	meta, err := m.take(metaLen)
	if err != nil {
		return nil, err
	}
	msg := ipc.NewMessage(memory.NewBufferBytes(meta), memory.NewBufferBytes(nil))
	body, err := m.take(msg.BodyLen())
	msg.Release()
	if err != nil {
		return nil, err
	}
	if m.msg != nil {
		m.msg.Release()
	}
	m.msg = ipc.NewMessage(memory.NewBufferBytes(meta), memory.NewBufferBytes(body))
	return m.msg, nil
}

// header reads the continuation marker and the metadata length; 0 and
// io.EOF mean the stream ended.
func (m *sliceMessages) header() (int64, error) {
	if len(m.b) < 4 {
		return 0, io.EOF
	}
	n := binary.LittleEndian.Uint32(m.b)
	m.b = m.b[4:]
	if n == continuation {
		if len(m.b) < 4 {
			return 0, io.ErrUnexpectedEOF
		}
		n = binary.LittleEndian.Uint32(m.b)
		m.b = m.b[4:]
	}
	if n == 0 {
		return 0, io.EOF
	}
	return int64(n), nil
}

func (m *sliceMessages) take(n int64) ([]byte, error) {
	if n < 0 || n > int64(len(m.b)) {
		return nil, fmt.Errorf("arrow/ipc: message of %d bytes, %d left: %w", n, len(m.b), io.ErrUnexpectedEOF)
	}
	out := m.b[:n:n]
	m.b = m.b[n:]
	return out, nil
}

// batchBytes is the size of rec's buffers (an upper bound for a slice,
// whose buffers are shared with the whole array).
func batchBytes(rec arrow.RecordBatch) int {
	n := 0
	for _, c := range rec.Columns() {
		n += dataBytes(c.Data())
	}
	return n
}

func dataBytes(d arrow.ArrayData) int {
	n := 0
	for _, b := range d.Buffers() {
		if b != nil {
			n += b.Len()
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

// chunks splits rec into row ranges of at most about maxBytes each: under
// gRPC's default message limit inline, within a region's room in shared
// memory. Rows are assumed to be of similar size; one row is never split.
func chunks(rec arrow.RecordBatch, maxBytes int) []arrow.RecordBatch {
	rows := rec.NumRows()
	size := payloadBytes(rec)
	if size <= maxBytes || rows <= 1 {
		rec.Retain()
		return []arrow.RecordBatch{rec}
	}
	n := int64(size/maxBytes + 1)
	step := max((rows+n-1)/n, 1)
	var out []arrow.RecordBatch
	for lo := int64(0); lo < rows; lo += step {
		out = append(out, rec.NewSlice(lo, min(lo+step, rows)))
	}
	return out
}

// payloadBytes estimates the encoded size of rec: a sliced array is
// written as its own range only, so count that share of its buffers.
func payloadBytes(rec arrow.RecordBatch) int {
	n := 0
	for _, c := range rec.Columns() {
		full := dataBytes(c.Data())
		if l := c.Data().Len() + c.Data().Offset(); l > 0 && c.Len() < l {
			full = int(int64(full) * int64(c.Len()) / int64(l))
		}
		n += full
	}
	return n
}

// newRecord builds a batch from columns with generated field names.
func newRecord(prefix string, cols []arrow.Array, rows int) arrow.RecordBatch {
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = arrow.Field{Name: fmt.Sprintf("%s%d", prefix, i), Type: c.DataType(), Nullable: true}
	}
	return array.NewRecordBatch(arrow.NewSchema(fields, nil), cols, int64(rows))
}
