package s3

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/drover-etl/drover/storage"
)

// file is an open object. Reads are ranged GETs pinned to the ETag that
// Open saw, so an object overwritten meanwhile fails the read instead of
// mixing two versions. Reads use the context given to Open.
type file struct {
	s    *Store
	ctx  context.Context
	key  string
	size int64
	etag string
	ra   readahead
}

var _ storage.File = (*file)(nil)

// Open stats key (for its size and ETag); no data moves until ReadAt.
func (s *Store) Open(ctx context.Context, key string) (storage.File, error) {
	var oi minio.ObjectInfo
	err := s.do(ctx, func(ctx context.Context) (err error) {
		oi, err = s.c.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
		return err
	})
	if err != nil {
		return nil, s.pathErr("open", key, err)
	}
	return &file{s: s, ctx: ctx, key: key, size: oi.Size, etag: oi.ETag}, nil
}

func (f *file) Size() int64  { return f.size }
func (f *file) Close() error { return nil }

// ReadAt reads len(p) bytes at off; io.EOF when the object ends first.
// It is safe for concurrent use, as io.ReaderAt requires.
func (f *file) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, f.s.pathErr("read", f.key, errors.New("negative offset"))
	}
	if off >= f.size {
		if len(p) == 0 {
			return 0, nil
		}
		return 0, io.EOF
	}
	want := p
	if rest := f.size - off; int64(len(p)) > rest {
		want = p[:rest]
	}
	n, err := f.read(want, off)
	if err != nil {
		return n, f.s.pathErr("read", f.key, err)
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// read fills p, which lies inside the object, from the read-ahead buffer
// and then from the server.
func (f *file) read(p []byte, off int64) (int, error) {
	n := f.ra.copyCached(p, off)
	if n == len(p) {
		return n, nil
	}
	p, off = p[n:], off+int64(n)
	start, end, direct := f.ra.plan(off, len(p), f.size)
	if direct {
		if err := f.get(p, off); err != nil {
			return n, err
		}
		return n + len(p), nil
	}
	buf := make([]byte, end-start)
	if err := f.get(buf, start); err != nil {
		return n, err
	}
	f.ra.store(buf, start)
	return n + copy(p, buf[off-start:]), nil
}

// get fills p from offset off with ranged GETs, retrying transient
// failures from where the previous attempt stopped.
func (f *file) get(p []byte, off int64) error {
	got := 0
	return f.s.do(f.ctx, func(ctx context.Context) error {
		m, err := f.s.getRange(ctx, f.key, f.etag, p[got:], off+int64(got))
		got += m
		return err
	})
}

// getRange is one GET of len(p) bytes at off. A stalled body is cut off
// by a timeout that allows for the range's size.
func (s *Store) getRange(ctx context.Context, key, etag string, p []byte, off int64) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second+time.Duration(len(p)>>20)*time.Second)
	defer cancel()
	end := off + int64(len(p)) - 1
	var opts minio.GetObjectOptions
	if err := opts.SetRange(off, end); err != nil {
		return 0, err
	}
	if etag != "" {
		if err := opts.SetMatchETag(etag); err != nil {
			return 0, err
		}
	}
	body, _, hdr, err := s.core.GetObject(ctx, s.bucket, key, opts)
	if err != nil {
		return 0, err
	}
	defer body.Close()
	// A server that ignored the Range header would hand us the wrong bytes.
	if cr := hdr.Get("Content-Range"); !strings.HasPrefix(cr, fmt.Sprintf("bytes %d-%d/", off, end)) {
		return 0, fmt.Errorf("server answered range %d-%d with Content-Range %q", off, end, cr)
	}
	return io.ReadFull(body, p)
}
