package spill

import (
	"context"
	"fmt"
	"io"
	"sync/atomic"

	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/storage"
)

// readChunk is one ranged GET of a spill file read back: large enough that
// request latency does not dominate, small enough that a merge of 16 runs
// holds 16 MiB.
const readChunk = 1 << 20

// remoteDir is a Dir of objects under prefix in an object store (S3).
type remoteDir struct {
	ctx    context.Context
	store  storage.Store
	prefix string // key prefix: <root>/<run>/spill/<executor>/<task>
	seq    *atomic.Int64
}

// Remote is a Dir of objects under loc in a store. Its files' uploads and
// reads use ctx; deletes outlive its cancellation. Keys are
// <loc>/<n>-<what>.arrow.
func Remote(ctx context.Context, loc storage.Location) Dir {
	return &remoteDir{ctx: ctx, store: loc.Store, prefix: loc.Key, seq: new(atomic.Int64)}
}

func (d *remoteDir) String() string { return d.store.URL(d.prefix) + "/" }

func (d *remoteDir) Create(what string, pool *memory.Pool) (Writer, error) {
	key := storage.JoinKey(d.prefix, fmt.Sprintf("%d-%s.arrow", d.seq.Add(1), what))
	w, err := d.store.Create(d.ctx, key)
	if err != nil {
		return nil, fmt.Errorf("spill file %s: %w", d.store.URL(key), err)
	}
	rw := &remoteWriter{d: d, key: key, w: w, limit: storage.UploadBuffer(d.store), pool: pool}
	if pool != nil {
		rw.res = pool.Consumer(what+" spill upload", false)
	}
	return rw, nil
}

// remoteWriter streams a file up. The store's writer holds the object's
// first part, then the parts being filled and in flight: at most
// UploadBuffer bytes, reserved as the file grows towards it, so the many
// small files of a partitioned spill do not each reserve a whole part.
type remoteWriter struct {
	d     *remoteDir
	key   string
	w     storage.Writer
	pool  *memory.Pool
	res   *memory.Reservation
	limit int64
	size  int64
	done  bool
}

func (w *remoteWriter) Name() string { return w.d.store.URL(w.key) }

func (w *remoteWriter) Write(p []byte) (int, error) {
	w.size += int64(len(p))
	if w.res != nil {
		if more := min(w.size, w.limit) - w.res.Size(); more > 0 {
			// The upload must make progress; its buffer is bounded.
			if w.res.TryGrow(more) != nil {
				w.res.Grow(more)
			}
		}
	}
	return w.w.Write(p)
}

func (w *remoteWriter) Finish() (File, error) {
	w.done = true
	err := w.w.Close()
	w.free()
	if err != nil {
		return nil, fmt.Errorf("spill file %s: %w", w.Name(), err)
	}
	return &remoteFile{d: w.d, key: w.key, size: w.size, pool: w.pool}, nil
}

func (w *remoteWriter) Abort() {
	if w.done {
		return
	}
	w.done = true
	w.w.Abort()
	w.free()
}

func (w *remoteWriter) free() {
	if w.res != nil {
		w.res.Free()
	}
}

// remoteFile is a finished spill object.
type remoteFile struct {
	d    *remoteDir
	key  string
	size int64
	pool *memory.Pool
	gone bool
	// readers give their buffers back at their end, or here at Remove.
	readers []*rangeReader
}

func (f *remoteFile) Name() string { return f.d.store.URL(f.key) }
func (f *remoteFile) Size() int64  { return f.size }

func (f *remoteFile) Section(off, n int64) io.Reader {
	r := &rangeReader{f: f, off: off, end: off + n}
	f.readers = append(f.readers, r)
	return r
}

func (f *remoteFile) Remove() error {
	if f.gone {
		return nil
	}
	f.gone = true
	for _, r := range f.readers {
		r.release()
	}
	f.readers = nil
	if err := f.d.store.Delete(context.WithoutCancel(f.d.ctx), f.key); err != nil {
		return fmt.Errorf("remove spill file: %w", err)
	}
	return nil
}

// rangeReader reads [off, end) of a spill object by ranged GETs of at most
// readChunk bytes into one buffer, reserved from the pool while it is held.
type rangeReader struct {
	f        *remoteFile
	off, end int64
	buf      []byte
	pos      int // next unread byte of buf
	res      *memory.Reservation
}

func (r *rangeReader) Read(p []byte) (int, error) {
	if r.pos == len(r.buf) {
		if err := r.fill(); err != nil {
			return 0, err
		}
	}
	n := copy(p, r.buf[r.pos:])
	r.pos += n
	return n, nil
}

// fill fetches the next chunk; io.EOF (and the buffer given back) at the end.
func (r *rangeReader) fill() error {
	if r.off >= r.end {
		r.release()
		return io.EOF
	}
	if r.f.gone {
		return fmt.Errorf("read spill file %s after its removal", r.f.Name())
	}
	n := int(min(readChunk, r.end-r.off))
	if cap(r.buf) < n {
		r.reserve(int64(n - cap(r.buf)))
		r.buf = make([]byte, n)
	}
	r.buf, r.pos = r.buf[:n], 0
	if err := storage.ReadRange(r.f.d.ctx, r.f.d.store, r.key(), r.buf, r.off); err != nil {
		r.buf = r.buf[:0]
		return fmt.Errorf("read spill file: %w", err)
	}
	r.off += int64(n)
	return nil
}

func (r *rangeReader) key() string { return r.f.key }

func (r *rangeReader) reserve(n int64) {
	if r.f.pool == nil {
		return
	}
	if r.res == nil {
		r.res = r.f.pool.Consumer("spill read", false)
	}
	r.res.Grow(n) // bounded by readChunk, and needed to make progress
}

func (r *rangeReader) release() {
	r.buf, r.pos = nil, 0
	if r.res != nil {
		r.res.Free()
		r.res = nil
	}
}
