package s3

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/minio/minio-go/v7"

	"github.com/drover-etl/drover/storage"
)

var _ storage.DeferredCreator = (*Store)(nil)

// token is what a deferred writer hands back: enough to complete (or
// abort) its multipart upload from another process.
type token struct {
	Upload string `json:"upload"`
	Parts  []part `json:"parts"`
}

type part struct {
	N      int    `json:"n"`
	ETag   string `json:"etag"`
	CRC32C string `json:"crc32c"`
}

func (t token) String() string {
	b, _ := json.Marshal(t) // strings and ints only: cannot fail
	return string(b)
}

func parseToken(s string) (token, error) {
	var t token
	if err := json.Unmarshal([]byte(s), &t); err != nil || t.Upload == "" || len(t.Parts) == 0 {
		return token{}, fmt.Errorf("not a deferred upload token")
	}
	return t, nil
}

// deferredWriter is a multipart upload that is never completed here. Full
// parts go up as they fill, UploadThreads at once, each retried like any
// small request since its bytes are in memory; Close sends the last part,
// which may be small or even empty, and returns the token.
type deferredWriter struct {
	s      *Store
	ctx    context.Context
	key    string
	id     string // upload ID, "" until the first part leaves
	buf    []byte
	next   int           // next part number
	slots  chan struct{} // one per part in flight
	wg     sync.WaitGroup
	mu     sync.Mutex
	parts  []part
	err    error  // first failed part
	tok    string // set by a successful Close
	closed bool
}

var _ storage.DeferredWriter = (*deferredWriter)(nil)

// CreateDeferred starts writing key as a multipart upload whose completion
// is left to CompleteDeferred. The upload itself starts with the first
// full part or at Close, so a writer aborted early costs no request.
func (s *Store) CreateDeferred(ctx context.Context, key string) (storage.DeferredWriter, error) {
	if key == "" || key[len(key)-1] == '/' {
		return nil, s.pathErr("create", key, fmt.Errorf("not an object name"))
	}
	if err := ctx.Err(); err != nil {
		return nil, s.pathErr("create", key, err)
	}
	return s.newDeferredWriter(ctx, key), nil
}

func (s *Store) newDeferredWriter(ctx context.Context, key string) *deferredWriter {
	return &deferredWriter{s: s, ctx: ctx, key: key, next: 1, slots: make(chan struct{}, s.cfg.uploadThreads())}
}

func (w *deferredWriter) Write(p []byte) (int, error) {
	if w.closed {
		return 0, w.s.pathErr("write", w.key, errClosed)
	}
	size := w.s.cfg.partSize()
	n := 0
	for len(p) > 0 {
		if err := w.failed(); err != nil {
			return n, w.s.pathErr("write", w.key, err)
		}
		if w.buf == nil {
			// One allocation of exactly a part: growing by append
			// would overshoot it and leave the smaller copies as garbage.
			w.buf = make([]byte, 0, size)
		}
		take := min(len(p), size-len(w.buf))
		w.buf = append(w.buf, p[:take]...)
		p, n = p[take:], n+take
		if len(w.buf) == size {
			if err := w.send(w.buf); err != nil {
				return n, w.s.pathErr("write", w.key, err)
			}
			w.buf = nil
		}
	}
	return n, nil
}

// Close sends what is left and returns the token. On failure the upload
// is aborted and nothing remains on the server.
func (w *deferredWriter) Close() (string, error) {
	if w.closed {
		if w.tok != "" {
			return w.tok, nil
		}
		return "", w.s.pathErr("write", w.key, errClosed)
	}
	w.closed = true
	var err error
	if len(w.buf) > 0 || w.next == 1 {
		err = w.send(w.buf)
		w.buf = nil
	}
	w.wg.Wait()
	if err == nil {
		err = w.failed()
	}
	if err == nil {
		// A caller that canceled before Close gets no object.
		err = w.ctx.Err()
	}
	if err != nil {
		w.abort()
		return "", w.s.pathErr("write", w.key, err)
	}
	sort.Slice(w.parts, func(i, j int) bool { return w.parts[i].N < w.parts[j].N })
	w.tok = token{Upload: w.id, Parts: w.parts}.String()
	return w.tok, nil
}

// Abort discards the upload and every part sent.
func (w *deferredWriter) Abort() error {
	if w.closed {
		return nil
	}
	w.closed, w.buf = true, nil
	w.wg.Wait()
	return w.abort()
}

func (w *deferredWriter) abort() error {
	if w.id == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(w.ctx), abortGrace)
	defer cancel()
	if err := w.s.abortUpload(ctx, w.key, w.id); err != nil {
		return w.s.pathErr("abort", w.key, err)
	}
	return nil
}

func (w *deferredWriter) failed() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// send uploads data as the next part in the background, once a slot is
// free; the first part starts the upload.
func (w *deferredWriter) send(data []byte) error {
	if w.id == "" {
		id, err := w.s.newUpload(w.ctx, w.key)
		if err != nil {
			return err
		}
		w.id = id
	}
	select {
	case w.slots <- struct{}{}:
	case <-w.ctx.Done():
		return w.ctx.Err()
	}
	n := w.next
	w.next++
	w.wg.Go(func() {
		defer func() { <-w.slots }()
		p, err := w.s.putPart(w.ctx, w.key, w.id, n, data)
		w.mu.Lock()
		defer w.mu.Unlock()
		if err != nil && w.err == nil {
			w.err = err
		}
		w.parts = append(w.parts, p)
	})
	return nil
}

// newUpload starts a multipart upload whose parts carry CRC32C checksums
// (payloads are not signed: over plain http minio-go would sign every
// payload byte with SHA-256, halving upload throughput on loopback; the
// CRC32C lets the server reject a corrupted part, and over https TLS
// protects the payload anyway).
func (s *Store) newUpload(ctx context.Context, key string) (string, error) {
	opts := minio.PutObjectOptions{ContentType: "application/octet-stream",
		UserMetadata: map[string]string{"X-Amz-Checksum-Algorithm": minio.ChecksumCRC32C.String()}}
	var id string
	err := s.do(ctx, func(ctx context.Context) (err error) {
		id, err = s.core.NewMultipartUpload(ctx, s.bucket, key, opts)
		return err
	})
	return id, err
}

// putPart sends one part with its CRC32C, which the server checks.
func (s *Store) putPart(ctx context.Context, key, id string, n int, data []byte) (part, error) {
	h := minio.ChecksumCRC32C.Hasher()
	h.Write(data)
	crc := base64.StdEncoding.EncodeToString(h.Sum(nil))
	hdr := http.Header{}
	hdr.Set(minio.ChecksumCRC32C.Key(), crc)
	hdr.Set("X-Amz-Checksum-Algorithm", minio.ChecksumCRC32C.String())
	opts := minio.PutObjectPartOptions{CustomHeader: hdr, DisableContentSha256: true}
	var op minio.ObjectPart
	err := s.do(ctx, func(ctx context.Context) (err error) {
		op, err = s.core.PutObjectPart(ctx, s.bucket, key, id, n, bytes.NewReader(data), int64(len(data)), opts)
		return err
	})
	return part{N: n, ETag: op.ETag, CRC32C: crc}, err
}

// CompleteDeferred makes the object visible. A retry whose first request
// did complete finds the upload gone and an object of as many parts at
// key: that is success (deferred keys are written by one writer only).
func (s *Store) CompleteDeferred(ctx context.Context, key, tok string) error {
	t, err := parseToken(tok)
	if err != nil {
		return s.pathErr("complete", key, err)
	}
	parts := make([]minio.CompletePart, len(t.Parts))
	for i, p := range t.Parts {
		parts[i] = minio.CompletePart{PartNumber: p.N, ETag: p.ETag, ChecksumCRC32C: p.CRC32C}
	}
	err = s.do(ctx, func(ctx context.Context) error {
		_, err := s.core.CompleteMultipartUpload(ctx, s.bucket, key, t.Upload, parts, minio.PutObjectOptions{})
		return err
	})
	if errors.Is(err, storage.ErrNotExist) && s.completedAs(ctx, key, len(parts)) {
		return nil
	}
	if err != nil {
		return s.pathErr("complete", key, err)
	}
	return nil
}

// completedAs reports whether key holds an object of n parts.
func (s *Store) completedAs(ctx context.Context, key string, n int) bool {
	var oi minio.ObjectInfo
	err := s.do(ctx, func(ctx context.Context) (err error) {
		oi, err = s.c.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
		return err
	})
	return err == nil && strings.HasSuffix(strings.Trim(oi.ETag, `"`), fmt.Sprintf("-%d", n))
}

// AbortDeferred discards the upload tok describes.
func (s *Store) AbortDeferred(ctx context.Context, key, tok string) error {
	t, err := parseToken(tok)
	if err == nil {
		err = s.abortUpload(ctx, key, t.Upload)
	}
	if err != nil {
		return s.pathErr("abort", key, err)
	}
	return nil
}

// abortUpload aborts one upload; one already gone is not an error.
func (s *Store) abortUpload(ctx context.Context, key, id string) error {
	err := s.do(ctx, func(ctx context.Context) error {
		return s.core.AbortMultipartUpload(ctx, s.bucket, key, id)
	})
	if errors.Is(err, storage.ErrNotExist) {
		return nil
	}
	return err
}

// AbortAllDeferred aborts the incomplete multipart uploads under prefix
// that match accepts. It lists the bucket's uploads and filters here:
// MinIO answers a ListMultipartUploads prefix only when it names one
// object exactly. Every upload is tried; the first error is returned.
func (s *Store) AbortAllDeferred(ctx context.Context, prefix string, match func(key string) bool) (int, error) {
	ups, err := s.incompleteUploads(ctx)
	if err != nil {
		return 0, s.pathErr("list uploads", prefix, err)
	}
	n, first := 0, error(nil)
	for _, u := range ups {
		if !strings.HasPrefix(u.Key, prefix) || (match != nil && !match(u.Key)) {
			continue
		}
		if err := s.abortUpload(ctx, u.Key, u.UploadID); err != nil {
			first = cmp.Or(first, s.pathErr("abort", u.Key, err))
			continue
		}
		n++
	}
	return n, first
}

// incompleteUploads lists every multipart upload in the bucket.
func (s *Store) incompleteUploads(ctx context.Context) ([]minio.ObjectMultipartInfo, error) {
	var out []minio.ObjectMultipartInfo
	var keyMarker, idMarker string
	for {
		var r minio.ListMultipartUploadsResult
		err := s.do(ctx, func(ctx context.Context) (err error) {
			r, err = s.core.ListMultipartUploads(ctx, s.bucket, "", keyMarker, idMarker, "", 1000)
			return err
		})
		if err != nil {
			return nil, err
		}
		out = append(out, r.Uploads...)
		if !r.IsTruncated {
			return out, nil
		}
		keyMarker, idMarker = r.NextKeyMarker, r.NextUploadIDMarker
	}
}
