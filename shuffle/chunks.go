package shuffle

import "io"

// encoded is the in-memory tail of a partition's stream, held as a list
// of chunks rather than one growing slice: appending to a slice copies
// everything written so far each time it doubles (and zeroes each new
// array), which cost as much as the IPC encoding of a join's shuffle.
// Chunks grow geometrically from minChunk to maxChunk, so a small
// partition holds little and a large one few chunks.
type encoded struct {
	chunks [][]byte
	n      int // bytes written
	c      int // capacity of the chunks
}

const (
	minChunk = 4 << 10
	maxChunk = 1 << 20
)

func (e *encoded) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		last := len(e.chunks) - 1
		if last < 0 || len(e.chunks[last]) == cap(e.chunks[last]) {
			e.grow(len(p))
			last = len(e.chunks) - 1
		}
		ch := e.chunks[last]
		k := copy(ch[len(ch):cap(ch)], p)
		e.chunks[last] = ch[:len(ch)+k]
		p = p[k:]
	}
	e.n += n
	return n, nil
}

// grow adds a chunk: twice the capacity so far, within [minChunk,
// maxChunk], or the rest of a write larger than that.
func (e *encoded) grow(want int) {
	size := min(max(e.c, minChunk), maxChunk)
	if want > size {
		size = want
	}
	e.chunks = append(e.chunks, make([]byte, 0, size))
	e.c += size
}

// len is the bytes written; cap the bytes held (what is reserved).
func (e *encoded) len() int { return e.n }
func (e *encoded) cap() int { return e.c }

// writeTo writes the bytes to w in order.
func (e *encoded) writeTo(w io.Writer) (int64, error) {
	var total int64
	for _, ch := range e.chunks {
		n, err := w.Write(ch)
		total += int64(n)
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// reset drops the bytes and the chunks.
func (e *encoded) reset() { *e = encoded{} }
