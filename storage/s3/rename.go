package s3

import (
	"context"

	"github.com/minio/minio-go/v7"
)

// Rename copies from to to on the server, then deletes from. S3 has no
// atomic rename: a reader may briefly see both objects, never neither.
func (s *Store) Rename(ctx context.Context, from, to string) error {
	if from == to {
		// S3 refuses to copy an object onto itself; renaming is a no-op.
		_, err := s.Stat(ctx, from)
		return err
	}
	if err := s.do(ctx, func(ctx context.Context) error { return s.copy(ctx, from, to) }); err != nil {
		return s.pathErr("rename", from, err)
	}
	return s.Delete(ctx, from)
}

// copy is one server-side CopyObject. S3 refuses to copy a source over
// 5 GiB in one request; then ComposeObject copies it part by part.
func (s *Store) copy(ctx context.Context, from, to string) error {
	dst := minio.CopyDestOptions{Bucket: s.bucket, Object: to}
	src := minio.CopySrcOptions{Bucket: s.bucket, Object: from}
	_, err := s.c.CopyObject(ctx, dst, src)
	if code := minio.ToErrorResponse(err).Code; code == "InvalidRequest" || code == "EntityTooLarge" {
		_, err = s.c.ComposeObject(ctx, dst, src)
	}
	return err
}
