package executor

import (
	"context"
	"fmt"
	"io"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/storage"
)

// openFile is one output file of a sink task being written (or done).
type openFile struct {
	url  string
	sw   outWriter
	fw   format.Writer
	cw   *countingWriter
	done bool   // finished (Close called on both writers)
	tok  string // a deferred file's token, once done

	uploads bool   // written to a multipart upload, which buffers parts
	held    int64  // bytes reserved for it while open
	used    uint64 // the sink's write counter when last written
}

// sinkFileBytes is the least an open file is reckoned to hold (format
// writer state, a compressor's window).
const sinkFileBytes = 256 << 10

// sinkUploadBytes is what a multipart upload buffers at most per file:
// the part being filled and one in flight per upload thread
// (s3.DefaultPartSize × (DefaultUploadThreads + 1), Store.UploadBuffer).
const sinkUploadBytes = 5 * 16 << 20

// memory estimates what the open file holds: what its format writer
// buffers (a Parquet row group) and what its upload buffers.
func (of *openFile) memory() int64 {
	n := int64(sinkFileBytes)
	if b, ok := of.fw.(format.Buffered); ok {
		n += b.BufferedBytes()
	}
	if of.uploads {
		n += min(of.cw.n, sinkUploadBytes)
	}
	return n
}

// size is how large the file has grown: the format writer's own count
// when it buffers (format.Sizer), else the bytes that reached the store.
func (of *openFile) size() int64 {
	if sz, ok := of.fw.(format.Sizer); ok {
		return max(sz.Bytes(), of.cw.n)
	}
	return of.cw.n
}

// finish completes one file's format writer and output object.
func (of *openFile) finish() error {
	err := of.fw.Close()
	if err == nil {
		of.tok, err = of.sw.Close()
	}
	of.done = true
	if err != nil {
		return fmt.Errorf("finish %s: %w", of.url, err)
	}
	return nil
}

// outWriter is one output file of a sink task: staged (renamed into place
// by the driver) or deferred (completed in place by the driver).
type outWriter interface {
	io.Writer
	// Close finishes the file; a deferred file returns its token.
	Close() (token string, err error)
	// Abort discards the file. After Close, a staged file is left to the
	// driver's cleanup of the staging folder; a deferred one is aborted.
	Abort() error
}

type stagedFile struct{ storage.Writer }

func (f stagedFile) Close() (string, error) { return "", f.Writer.Close() }

type deferredFile struct {
	ctx context.Context
	dc  storage.DeferredCreator
	key string
	w   storage.DeferredWriter
	tok string // set by Close
}

func (f *deferredFile) Write(p []byte) (int, error) { return f.w.Write(p) }

func (f *deferredFile) Close() (string, error) {
	tok, err := f.w.Close()
	f.tok = tok
	return tok, err
}

func (f *deferredFile) Abort() error {
	if f.tok == "" {
		return f.w.Abort()
	}
	return f.dc.AbortDeferred(context.WithoutCancel(f.ctx), f.key, f.tok)
}
