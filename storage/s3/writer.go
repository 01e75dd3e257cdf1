package s3

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/drover-etl/drover/storage"
)

// abortGrace is how long an upload abandoned by a canceled caller may
// take to abort cleanly on the server.
const abortGrace = 30 * time.Second

var errClosed = errors.New("write after Close or Abort")

// writer keeps the first part in memory: an object that fits in it goes up
// in one PUT at Close, one request instead of a multipart upload's three.
// Past one part it becomes a multipart upload of buffered parts (the
// deferred writer), each part retried by the store's own policy since its
// bytes are in memory, and Close completes it: a server outage during a
// large write is ridden out like any other request's.
type writer struct {
	s      *Store
	ctx    context.Context
	key    string
	buf    []byte
	up     *deferredWriter // nil until the object outgrows one part
	closed bool
}

var (
	_ storage.Writer         = (*writer)(nil)
	_ storage.UploadBufferer = (*Store)(nil)
)

// UploadBuffer is the most one writer holds: the part being filled and
// one part per upload thread in flight.
func (s *Store) UploadBuffer() int64 {
	return int64(s.cfg.partSize()) * int64(s.cfg.uploadThreads()+1)
}

// Create starts writing key. Nothing is visible until Close returns nil.
func (s *Store) Create(ctx context.Context, key string) (storage.Writer, error) {
	if key == "" || key[len(key)-1] == '/' {
		return nil, s.pathErr("create", key, fmt.Errorf("not an object name"))
	}
	if err := ctx.Err(); err != nil {
		return nil, s.pathErr("create", key, err)
	}
	return &writer{s: s, ctx: ctx, key: key}, nil
}

func (w *writer) Write(p []byte) (int, error) {
	if w.closed {
		return 0, w.s.pathErr("write", w.key, errClosed)
	}
	if w.up == nil {
		if len(w.buf)+len(p) <= w.s.cfg.partSize() {
			w.buf = append(w.buf, p...)
			return len(p), nil
		}
		w.up = w.s.newDeferredWriter(w.ctx, w.key)
		head := w.buf
		w.buf = nil
		if cap(head) >= w.s.cfg.partSize() {
			w.up.buf = head // room for a whole part already: no copy
		} else if _, err := w.up.Write(head); err != nil {
			return 0, err
		}
	}
	return w.up.Write(p)
}

// Close completes the object; it is visible once Close returns nil.
func (w *writer) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	if w.up == nil {
		err := w.s.putSmall(w.ctx, w.key, w.buf)
		w.buf = nil
		if err != nil {
			return w.s.pathErr("write", w.key, err)
		}
		return nil
	}
	tok, err := w.up.Close() // aborts the upload itself on failure
	if err != nil {
		return err
	}
	if err := w.s.CompleteDeferred(w.ctx, w.key, tok); err != nil {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(w.ctx), abortGrace)
		defer cancel()
		w.s.AbortDeferred(ctx, w.key, tok)
		return err
	}
	return nil
}

// Abort discards the object: a buffered one was never sent, a multipart
// one is aborted on the server so no object or parts remain.
func (w *writer) Abort() error {
	if w.closed {
		return nil
	}
	w.closed, w.buf = true, nil
	if w.up != nil {
		return w.up.Abort()
	}
	return nil
}

// putSmall sends a whole object in one PUT; the bytes are in memory, so a
// transient failure can simply be retried.
func (s *Store) putSmall(ctx context.Context, key string, data []byte) error {
	return s.do(ctx, func(ctx context.Context) error {
		// Checksum is explicit: minio-go's automatic CRC is skipped for
		// single PUTs (its own checksum-algorithm header turns it off).
		opts := minio.PutObjectOptions{ContentType: "application/octet-stream", DisableMultipart: true,
			DisableContentSha256: true, Checksum: minio.ChecksumCRC32C}
		_, err := s.c.PutObject(ctx, s.bucket, key, bytes.NewReader(data), int64(len(data)), opts)
		return err
	})
}

var _ storage.UploadTuner = (*Store)(nil)

// WithUploads is a store of the same bucket and settings whose writers send
// parts of partSize (at least S3's 5 MiB), threads at a time.
func (s *Store) WithUploads(partSize, threads int) (storage.Store, error) {
	cfg := s.cfg
	cfg.PartSize, cfg.UploadThreads = partSize, threads
	return New(cfg, s.bucket)
}
