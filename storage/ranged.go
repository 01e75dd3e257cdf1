package storage

import (
	"context"
	"fmt"
	"io"
)

// RangeReader reads a byte range of an object without opening it first:
// on S3 one ranged GET instead of a HEAD (for the size) and then a GET.
// Readers that already know an object's layout (shuffle reducers, from
// the sizes their map tasks reported) use it through ReadRange.
type RangeReader interface {
	// ReadRange fills p with the object's bytes at off; an object that
	// ends before off+len(p) is an error, not a short read.
	ReadRange(ctx context.Context, key string, p []byte, off int64) error
}

// ReadRange fills p from key at off, through the store's RangeReader when
// it has one, else through Open and ReadAt.
func ReadRange(ctx context.Context, st Store, key string, p []byte, off int64) error {
	if rr, ok := st.(RangeReader); ok {
		return rr.ReadRange(ctx, key, p, off)
	}
	f, err := st.Open(ctx, key)
	if err != nil {
		return err
	}
	defer f.Close()
	n, err := f.ReadAt(p, off)
	if err == io.EOF && n < len(p) {
		return fmt.Errorf("%s: %d bytes at %d: object ends after %d: %w", st.URL(key), len(p), off, n, io.ErrUnexpectedEOF)
	}
	if err != nil && err != io.EOF {
		return err
	}
	return nil
}
