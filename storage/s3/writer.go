package s3

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/minio/minio-go/v7"

	"github.com/drover-etl/drover/storage"
)

var (
	errClosed  = errors.New("write after Close or Abort")
	errAborted = errors.New("upload aborted")
)

// writer keeps the first part in memory: an object that fits in it goes up
// in one PUT at Close, one request instead of a multipart upload's three.
// Past one part it streams the object as a multipart upload (upload.go).
type writer struct {
	s      *Store
	ctx    context.Context
	key    string
	buf    []byte
	up     *upload // nil until the object outgrows one part
	closed bool
}

var _ storage.Writer = (*writer)(nil)

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
		w.up = w.s.startUpload(w.ctx, w.key, w.buf)
		w.buf = nil
	}
	n, err := w.up.pw.Write(p)
	if err != nil {
		return n, w.s.pathErr("write", w.key, w.up.wait(w.s, w.ctx))
	}
	return n, nil
}

// Close completes the object; it is visible once Close returns nil.
func (w *writer) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	var err error
	if w.up == nil {
		err = w.s.putSmall(w.ctx, w.key, w.buf)
		w.buf = nil
	} else {
		// A caller that canceled before Close gets no object, even if
		// the cancellation has not reached the upload yet.
		w.up.pw.CloseWithError(w.ctx.Err())
		err = w.up.wait(w.s, w.ctx)
	}
	if err != nil {
		return w.s.pathErr("write", w.key, err)
	}
	return nil
}

// Abort discards the object: a buffered one was never sent, a streaming
// one is aborted on the server so no object or parts remain.
func (w *writer) Abort() error {
	if w.closed {
		return nil
	}
	w.closed, w.buf = true, nil
	if w.up != nil {
		w.up.pw.CloseWithError(errAborted)
		<-w.up.done
		w.up.release()
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
