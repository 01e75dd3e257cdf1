package s3

import (
	"cmp"
	"context"
	"sync"

	"github.com/minio/minio-go/v7"

	"github.com/drover-etl/drover/storage"
)

var _ storage.UploadAborter = (*Store)(nil)

// uploadListers bounds the listings AbortUploadsAt runs at once.
const uploadListers = 8

// AbortUploadsAt aborts the incomplete uploads of each key, found by
// listing that key alone.
func (s *Store) AbortUploadsAt(ctx context.Context, keys []string) (int, error) {
	var (
		mu    sync.Mutex
		n     int
		first error
		wg    sync.WaitGroup
	)
	sem := make(chan struct{}, uploadListers)
	for _, key := range keys {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			k, err := s.abortUploadsOf(ctx, key)
			mu.Lock()
			n += k
			first = cmp.Or(first, err)
			mu.Unlock()
		})
	}
	wg.Wait()
	return n, first
}

// abortUploadsOf aborts every upload whose key is exactly key.
func (s *Store) abortUploadsOf(ctx context.Context, key string) (int, error) {
	var keyMarker, idMarker string
	n := 0
	for {
		var r minio.ListMultipartUploadsResult
		err := s.do(ctx, func(ctx context.Context) (err error) {
			r, err = s.core.ListMultipartUploads(ctx, s.bucket, key, keyMarker, idMarker, "", 1000)
			return err
		})
		if err != nil {
			return n, s.pathErr("list uploads", key, err)
		}
		for _, u := range r.Uploads {
			if u.Key != key {
				continue
			}
			if err := s.abortUpload(ctx, u.Key, u.UploadID); err != nil {
				return n, s.pathErr("abort", u.Key, err)
			}
			n++
		}
		if !r.IsTruncated {
			return n, nil
		}
		keyMarker, idMarker = r.NextKeyMarker, r.NextUploadIDMarker
	}
}
