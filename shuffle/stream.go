package shuffle

import (
	"encoding/binary"
	"fmt"
	"io"
)

// checkedStream passes one partition's IPC stream through to arrow-go,
// checking each message's framing and metadata (checkMessage) before
// handing it over; bodies pass unread. limit bounds metadata and bodies.
type checkedStream struct {
	r       io.Reader
	limit   int64
	pending []byte // checked framing and metadata not yet read
	body    int64  // body bytes of the current message not yet read
}

func (s *checkedStream) Read(p []byte) (int, error) {
	if len(s.pending) == 0 && s.body == 0 {
		if err := s.next(); err != nil {
			return 0, err
		}
	}
	if len(s.pending) > 0 {
		n := copy(p, s.pending)
		s.pending = s.pending[n:]
		return n, nil
	}
	if int64(len(p)) > s.body {
		p = p[:s.body]
	}
	n, err := s.r.Read(p)
	s.body -= int64(n)
	return n, err
}

// next reads and checks the next message's framing and metadata.
func (s *checkedStream) next() error {
	var pre [8]byte
	if _, err := io.ReadFull(s.r, pre[:4]); err != nil {
		return err
	}
	n, framing := binary.LittleEndian.Uint32(pre[:4]), pre[:4]
	if n == 0xFFFFFFFF { // continuation marker, then the length
		if _, err := io.ReadFull(s.r, pre[4:]); err != nil {
			return err
		}
		n, framing = binary.LittleEndian.Uint32(pre[4:]), pre[:8]
	}
	if n == 0 || int32(n) < 0 { // end of stream, or a length arrow-go refuses
		s.pending = append([]byte(nil), framing...)
		return nil
	}
	if int64(n) > s.limit {
		return fmt.Errorf("%w: metadata of %d bytes in a partition of %d", errBadMetadata, n, s.limit)
	}
	meta := make([]byte, n)
	if _, err := io.ReadFull(s.r, meta); err != nil {
		return err
	}
	body, err := checkedBody(meta, s.limit)
	if err != nil {
		return err
	}
	s.pending, s.body = append(append([]byte(nil), framing...), meta...), body
	bufs, compressed, err := batchBuffers(meta)
	if err != nil || !compressed {
		return err
	}
	// A compressed buffer starts with its uncompressed length, which
	// arrow-go allocates: read the body and hold each to what LZ4 can
	// expand its bytes to.
	data := make([]byte, body)
	if _, err := io.ReadFull(s.r, data); err != nil {
		return err
	}
	if err := checkCompressed(bufs, data); err != nil {
		return err
	}
	s.pending, s.body = append(s.pending, data...), 0
	return nil
}

// lz4MaxRatio bounds what LZ4 expands data to (255:1 at best, plus slack).
const lz4MaxRatio = 256

func checkCompressed(bufs [][2]int64, body []byte) error {
	for i, b := range bufs {
		off, n := b[0], b[1]
		if off < 0 || n < 0 || off > int64(len(body)) || n > int64(len(body))-off {
			return fmt.Errorf("%w: buffer %d spans bytes %d+%d of a %d-byte body", errBadMetadata, i, off, n, len(body))
		}
		if n < 8 {
			continue
		}
		size := int64(binary.LittleEndian.Uint64(body[off:]))
		if size != -1 && (size < 0 || size > lz4MaxRatio*(n-8)+64) {
			return fmt.Errorf("%w: buffer %d claims %d bytes uncompressed from %d", errBadMetadata, i, size, n-8)
		}
	}
	return nil
}

// checkedBody checks a message's metadata and returns its body length.
func checkedBody(meta []byte, limit int64) (int64, error) {
	if err := checkMessage(meta); err != nil {
		return 0, err
	}
	f := fbuf(meta)
	root, _ := f.u32(0)
	pos, err := f.field(int(root), 3)
	if err != nil || pos == 0 {
		return 0, err
	}
	if pos+8 > len(meta) {
		return 0, errBadMetadata
	}
	body := int64(binary.LittleEndian.Uint64(meta[pos:]))
	if body < 0 || body > limit {
		return 0, fmt.Errorf("%w: a body of %d bytes in a partition of %d", errBadMetadata, body, limit)
	}
	return body, nil
}
