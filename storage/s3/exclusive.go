package s3

import (
	"bytes"
	"context"
	"io"

	"github.com/minio/minio-go/v7"

	"github.com/drover-etl/drover/storage"
)

var _ storage.ExclusiveCreator = (*Store)(nil)

// CreateExclusive PUTs data with If-None-Match: *, which S3 and MinIO
// refuse with 412 when key exists. A retried PUT whose first attempt did
// land finds its own bytes there: that is success, not ErrExist.
func (s *Store) CreateExclusive(ctx context.Context, key string, data []byte) error {
	exists := false
	err := s.do(ctx, func(ctx context.Context) error {
		opts := minio.PutObjectOptions{ContentType: "application/octet-stream", DisableMultipart: true,
			DisableContentSha256: true, Checksum: minio.ChecksumCRC32C}
		opts.SetMatchETagExcept("*")
		_, err := s.c.PutObject(ctx, s.bucket, key, bytes.NewReader(data), int64(len(data)), opts)
		exists = minio.ToErrorResponse(err).Code == "PreconditionFailed"
		return err
	})
	if exists {
		if s.holds(ctx, key, data) {
			return nil
		}
		return s.pathErr("create", key, storage.ErrExist)
	}
	if err != nil {
		return s.pathErr("create", key, err)
	}
	return nil
}

// holds reports whether key's content is exactly data.
func (s *Store) holds(ctx context.Context, key string, data []byte) bool {
	f, err := s.Open(ctx, key)
	if err != nil {
		return false
	}
	defer f.Close()
	if f.Size() != int64(len(data)) {
		return false
	}
	got, err := io.ReadAll(io.NewSectionReader(f, 0, f.Size()))
	return err == nil && bytes.Equal(got, data)
}
