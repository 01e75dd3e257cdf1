package s3

import (
	"bytes"
	"context"
	"errors"
	"io"
	"time"

	"github.com/minio/minio-go/v7"
)

// abortGrace is how long a canceled upload may take to abort cleanly
// before its in-flight requests are cut.
const abortGrace = 30 * time.Second

// errUploadEnded unblocks a Write racing with an upload that has ended.
var errUploadEnded = errors.New("upload ended")

// upload is a multipart PutObject of unknown size running in a goroutine,
// reading the object from a pipe that Write feeds.
type upload struct {
	pw      *io.PipeWriter
	done    chan struct{}
	err     error // PutObject's result, valid once done is closed
	unwatch func() bool
	cancel  context.CancelFunc
}

// startUpload begins streaming key: head (the bytes buffered so far), then
// whatever is written to the pipe. The upload's context is detached from
// the caller's on purpose: a canceled request would leave minio-go unable
// to abort the multipart upload, orphaning its parts on the server. So the
// caller's cancellation closes the pipe instead (minio-go then aborts the
// upload itself) and only cuts requests still in flight after abortGrace.
func (s *Store) startUpload(ctx context.Context, key string, head []byte) *upload {
	pr, pw := io.Pipe()
	upCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	u := &upload{pw: pw, done: make(chan struct{}), cancel: cancel}
	u.unwatch = context.AfterFunc(ctx, func() {
		pw.CloseWithError(ctx.Err())
		time.AfterFunc(abortGrace, cancel)
	})
	threads := s.cfg.uploadThreads()
	opts := minio.PutObjectOptions{
		ContentType:           "application/octet-stream",
		PartSize:              uint64(s.cfg.partSize()),
		NumThreads:            uint(threads),
		ConcurrentStreamParts: threads > 1,
		// Over plain http minio-go would sign every payload byte with
		// SHA-256 (and the server verify it), halving upload throughput on
		// loopback. Headers stay signed; the CRC32C trailer that the client
		// adds (Options.TrailingHeaders) lets the server reject corrupted
		// parts; over https TLS protects the payload anyway.
		DisableContentSha256: true,
	}
	go func() {
		_, err := s.up.PutObject(upCtx, s.bucket, key, io.MultiReader(bytes.NewReader(head), pr), -1, opts)
		if err != nil {
			pr.CloseWithError(err)
		} else {
			pr.CloseWithError(errUploadEnded)
		}
		u.err = err
		close(u.done)
	}()
	return u
}

// wait returns the upload's classified result once it has finished.
func (u *upload) wait(s *Store, ctx context.Context) error {
	<-u.done
	u.release()
	if u.err == nil {
		return nil
	}
	return s.classify(ctx, u.err)
}

func (u *upload) release() {
	u.unwatch()
	u.cancel()
}
