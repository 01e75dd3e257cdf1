package textfile

import (
	"context"
	"io"
)

// readAhead is how many chunks the planning scan reads ahead at once: the
// scan itself runs at memory speed (see BenchmarkScanCSV), so a single
// stream of ranged reads from S3 would be what it waits for.
const readAhead = 4

// chunkRead is one chunk of the file, or the error reading it.
type chunkRead struct {
	off int64
	buf []byte
	err error
}

// prefetcher reads a file in chunks, up to ahead of them at once, and
// delivers them in order; the consumer hands each buffer back with done.
type prefetcher struct {
	order chan chan chunkRead
	free  chan []byte
}

// prefetch starts reading f from start to size. Cancelling ctx stops it;
// reads under way finish into buffered channels, so nothing leaks.
func prefetch(ctx context.Context, f io.ReaderAt, start, size, chunk int64, ahead int) *prefetcher {
	p := &prefetcher{order: make(chan chan chunkRead, ahead), free: make(chan []byte, ahead+2)}
	for range ahead + 2 {
		p.free <- make([]byte, min(chunk, size))
	}
	go func() {
		defer close(p.order)
		for off := start; off < size; off += chunk {
			var buf []byte
			select {
			case buf = <-p.free:
			case <-ctx.Done():
				return
			}
			ch := make(chan chunkRead, 1)
			p.order <- ch // never blocks for long: ahead+2 buffers bound the reads in flight
			go func(off int64) {
				b := buf[:min(chunk, size-off)]
				n, err := f.ReadAt(b, off)
				if err == io.EOF && n == len(b) {
					err = nil
				}
				ch <- chunkRead{off: off, buf: b[:n], err: err}
			}(off)
		}
	}()
	return p
}

// done returns a chunk's buffer for the next read.
func (p *prefetcher) done(buf []byte) { p.free <- buf[:cap(buf)] }
