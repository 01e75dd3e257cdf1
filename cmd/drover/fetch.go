package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/drover-etl/drover/storage"
)

// fetchJobFile returns a local path for a job spec given as a path or an
// s3:// URL (cluster mode: the driver job may fetch its spec from S3).
func fetchJobFile(ctx context.Context, p string) (string, func(), error) {
	if !strings.Contains(p, "://") || strings.HasPrefix(p, "file://") {
		return strings.TrimPrefix(p, "file://"), func() {}, nil
	}
	loc, err := storage.Resolve(ctx, p)
	if err != nil {
		return "", nil, err
	}
	f, err := loc.Store.Open(ctx, loc.Key)
	if err != nil {
		return "", nil, fmt.Errorf("fetch job spec: %w", err)
	}
	defer f.Close()
	tmp, err := os.CreateTemp("", "drover-job-*.hcl")
	if err != nil {
		return "", nil, err
	}
	if _, err := io.Copy(tmp, io.NewSectionReader(f, 0, f.Size())); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return "", nil, fmt.Errorf("fetch job spec: %w", err)
	}
	tmp.Close()
	return tmp.Name(), func() { os.Remove(tmp.Name()) }, nil
}
