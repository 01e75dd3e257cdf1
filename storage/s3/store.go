package s3

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/s3utils"

	"github.com/drover-etl/drover/storage"
)

func init() {
	storage.Register("s3", func(_ context.Context, bucket string) (storage.Store, error) {
		return New(ConfigFromEnv(), bucket)
	})
}

// minPartSize is S3's smallest multipart part (except the last).
const minPartSize = 5 << 20

// Store is one bucket; keys are object names in it.
type Store struct {
	bucket   string
	endpoint string // for messages: "http://127.0.0.1:9000" or "AWS"
	cfg      Config
	// c makes one attempt per call: Store retries itself, with its own
	// classification and bounds.
	c        *minio.Client
	core     minio.Core
	redact   *strings.Replacer
	retry    retryPolicy
	throttle throttle
}

var _ storage.Store = (*Store)(nil)

// New returns the store for bucket. It makes no request: a missing bucket
// or rejected credentials show up, clearly named, on first use.
func New(cfg Config, bucket string) (*Store, error) {
	if bucket == "" {
		return nil, fmt.Errorf("s3: a path needs a bucket: s3://bucket/key")
	}
	if err := s3utils.CheckValidBucketName(bucket); err != nil {
		return nil, fmt.Errorf("s3: bucket %q: %w", bucket, err)
	}
	if cfg.PartSize != 0 && cfg.PartSize < minPartSize {
		return nil, fmt.Errorf("s3: part size %d is below S3's minimum of 5 MiB", cfg.PartSize)
	}
	if cfg.RetryWindow < 0 {
		return nil, fmt.Errorf("s3: %s=%q: want a duration such as 90s or 3m", retryWindowEnv, os.Getenv(retryWindowEnv))
	}
	c, err := newClient(cfg, 1)
	if err != nil {
		return nil, err
	}
	s := &Store{bucket: bucket, endpoint: cfg.Endpoint, cfg: cfg, c: c, core: minio.Core{Client: c},
		redact: redactor(cfg), retry: defaultRetry(cfg.RetryWindow)}
	if s.endpoint == "" {
		s.endpoint = "AWS"
	}
	return s, nil
}

// newClient builds a minio-go client making at most maxTries attempts per call.
func newClient(cfg Config, maxTries int) (*minio.Client, error) {
	host, secure, custom, err := cfg.endpoint()
	if err != nil {
		return nil, fmt.Errorf("s3: %w", err)
	}
	tr, err := minio.DefaultTransport(secure)
	if err != nil {
		return nil, fmt.Errorf("s3: transport: %w", err)
	}
	opts := &minio.Options{
		Creds:      cfg.credentials(),
		Secure:     secure,
		Region:     cfg.Region,
		Transport:  countingTransport{next: tr},
		MaxRetries: maxTries,
		// Uploads send a CRC32C trailer instead of signing the payload
		// with SHA-256 (see newUpload).
		TrailingHeaders: true,
	}
	if custom {
		opts.BucketLookup = minio.BucketLookupPath
	}
	c, err := minio.New(host, opts)
	if err != nil {
		return nil, fmt.Errorf("s3: client for %s: %w", cfg.Endpoint, err)
	}
	return c, nil
}

// URL is "s3://bucket/key".
func (s *Store) URL(key string) string { return "s3://" + s.bucket + "/" + key }

// Stat describes key; storage.ErrNotExist when absent.
func (s *Store) Stat(ctx context.Context, key string) (storage.Info, error) {
	var oi minio.ObjectInfo
	err := s.do(ctx, func(ctx context.Context) (err error) {
		oi, err = s.c.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
		return err
	})
	if err != nil {
		return storage.Info{}, s.pathErr("stat", key, err)
	}
	return storage.Info{Key: key, Size: oi.Size, ModTime: oi.LastModified}, nil
}

// List returns every object under prefix, recursively, sorted by key.
// Zero-byte "folder/" markers that consoles create are not objects here.
func (s *Store) List(ctx context.Context, prefix string) ([]storage.Info, error) {
	var out []storage.Info
	err := s.do(ctx, func(ctx context.Context) error {
		out = out[:0]
		opts := minio.ListObjectsOptions{Prefix: prefix, Recursive: true}
		for oi := range s.c.ListObjectsIter(ctx, s.bucket, opts) {
			if oi.Err != nil {
				return oi.Err
			}
			if !strings.HasSuffix(oi.Key, "/") {
				out = append(out, storage.Info{Key: oi.Key, Size: oi.Size, ModTime: oi.LastModified})
			}
		}
		return nil
	})
	if err != nil {
		return nil, s.pathErr("list", prefix, err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}

// Delete removes key; S3 answers success for an absent key too.
func (s *Store) Delete(ctx context.Context, key string) error {
	err := s.do(ctx, func(ctx context.Context) error {
		return s.c.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{})
	})
	if err != nil {
		return s.pathErr("delete", key, err)
	}
	return nil
}
