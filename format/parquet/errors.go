package parquetfmt

import (
	"context"
	"errors"
	"fmt"

	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/storage"
)

// corrupt wraps a read failure: storage errors pass through (they may be
// transient), anything else marks the file corrupt.
func corrupt(url string, err error) error {
	var pe *storage.PathError
	if storage.IsTransient(err) || errors.As(err, &pe) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("parquet: read %s: %w", url, err)
	}
	if errors.Is(err, format.ErrCorrupt) {
		return err
	}
	return fmt.Errorf("parquet: %s: %w: %w", url, format.ErrCorrupt, err)
}
