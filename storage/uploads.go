package storage

import "context"

// UploadAborter is implemented by stores with multipart uploads (S3).
type UploadAborter interface {
	// AbortUploadsAt aborts every incomplete upload at exactly these
	// keys, listing the uploads of each key by itself: MinIO answers such
	// a listing from disk, while its bucket-wide listing comes from a
	// cache that a server restart empties, so only this finds every
	// upload of a known key. It returns how many it aborted.
	AbortUploadsAt(ctx context.Context, keys []string) (int, error)
}
