package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/drover-etl/drover/storage"
)

// fetchJobFile returns a local path for a job spec given as a path, an
// s3:// URL (cluster mode: the driver job may fetch its spec from S3) or
// env:NAME (the spec base64-encoded in variable NAME: how the driver's
// Nomad job passes job_spec_hcl without any template engine seeing it).
func fetchJobFile(ctx context.Context, p string) (string, func(), error) {
	if name, ok := strings.CutPrefix(p, "env:"); ok {
		return jobFileFromEnv(name)
	}
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

// jobFileFromEnv decodes the base64 job spec in environment variable name
// into a temporary file, byte for byte.
func jobFileFromEnv(name string) (string, func(), error) {
	enc := os.Getenv(name)
	if enc == "" {
		return "", nil, fmt.Errorf("job spec env:%s: the variable is empty or not set", name)
	}
	spec, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return "", nil, fmt.Errorf("job spec env:%s: not base64: %w", name, err)
	}
	tmp, err := os.CreateTemp("", "drover-job-*.hcl")
	if err != nil {
		return "", nil, err
	}
	_, err = tmp.Write(spec)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", nil, fmt.Errorf("job spec env:%s: %w", name, err)
	}
	return tmp.Name(), func() { os.Remove(tmp.Name()) }, nil
}
