package storage

import "context"

// ExclusiveCreator is implemented by stores that can create an object
// only if it does not exist yet, atomically (local: O_EXCL; S3: a PUT
// with If-None-Match: *). Run locks are made with it.
type ExclusiveCreator interface {
	// CreateExclusive writes data at key unless an object is there, in
	// which case it fails with ErrExist and changes nothing.
	CreateExclusive(ctx context.Context, key string, data []byte) error
}

// DirPruner is implemented by stores with real directories (local), which
// deleting every file below a prefix does not remove.
type DirPruner interface {
	// PruneDirs removes the empty directories at and below prefix.
	PruneDirs(ctx context.Context, prefix string) error
}
