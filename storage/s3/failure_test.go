package s3

import (
	"context"
	"errors"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/drover-etl/drover/storage"
)

func testAbort(t *testing.T, fx *fixture) {
	ctx := context.Background()
	for _, size := range []int{1 << 10, 40 << 20} { // buffered, then streaming
		w, err := fx.s.Create(ctx, "abort/blob")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(randomBytes(t, size)); err != nil {
			t.Fatal(err)
		}
		if err := w.Abort(); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Errorf("Close after Abort: %v", err)
		}
		if _, err := fx.s.Stat(ctx, "abort/blob"); !errors.Is(err, storage.ErrNotExist) {
			t.Errorf("%d bytes: Stat after Abort = %v, want ErrNotExist", size, err)
		}
	}
	noIncompleteUploads(t, fx, "abort/")
}

func testCancelDuringUpload(t *testing.T, fx *fixture) {
	ctx, cancel := context.WithCancel(context.Background())
	w, err := fx.s.Create(ctx, "cancel/blob")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(randomBytes(t, 40<<20)); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := w.Close(); !errors.Is(err, context.Canceled) {
		t.Errorf("Close after cancel = %v, want context.Canceled", err)
	}
	if _, err := fx.s.Stat(context.Background(), "cancel/blob"); !errors.Is(err, storage.ErrNotExist) {
		t.Errorf("Stat after canceled upload = %v, want ErrNotExist", err)
	}
	noIncompleteUploads(t, fx, "cancel/")
}

// noIncompleteUploads checks that no multipart upload was left behind: its
// parts would use space on the server although no object is visible.
func noIncompleteUploads(t *testing.T, fx *fixture, prefix string) {
	t.Helper()
	for _, k := range incompleteKeys(t, fx, prefix) {
		t.Errorf("incomplete upload left: %s", k)
	}
}

// incompleteKeys lists the keys of incomplete uploads under prefix, sorted.
// It lists the whole bucket: MinIO matches a ListMultipartUploads prefix
// only against whole object names, so "dir/" would always look clean.
func incompleteKeys(t *testing.T, fx *fixture, prefix string) []string {
	t.Helper()
	c, err := fx.m.Client()
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for u := range c.ListIncompleteUploads(context.Background(), testBucket, "", true) {
		if u.Err != nil {
			t.Fatal(u.Err)
		}
		if strings.HasPrefix(u.Key, prefix) {
			keys = append(keys, u.Key)
		}
	}
	sort.Strings(keys)
	return keys
}

func testUnknownBucket(t *testing.T, fx *fixture) {
	s := mustNew(t, fx.cfg, "no-such-bucket")
	ctx := context.Background()
	_, statErr := s.Stat(ctx, "k")
	_, listErr := s.List(ctx, "")
	w, _ := s.Create(ctx, "k")
	w.Write([]byte("x"))
	for _, err := range []error{statErr, listErr, w.Close()} {
		if !errors.Is(err, storage.ErrNotExist) || !strings.Contains(err.Error(), `bucket "no-such-bucket" does not exist`) {
			t.Errorf("got %v, want ErrNotExist naming the bucket", err)
		}
	}
}

func testWrongCredentials(t *testing.T, fx *fixture) {
	badSecret := fx.cfg
	badSecret.SecretKey = "not-the-secret-0123456789"
	badKey := fx.cfg
	badKey.AccessKey, badKey.SecretKey = "no-such-access-key", "also-not-the-secret-42"
	for _, cfg := range []Config{badSecret, badKey} {
		s := mustNew(t, cfg, testBucket)
		_, statErr := s.Stat(context.Background(), "k")
		_, listErr := s.List(context.Background(), "")
		for _, err := range []error{statErr, listErr} {
			if !errors.Is(err, storage.ErrPermission) || !strings.Contains(err.Error(), "rejected the credentials") {
				t.Errorf("got %v, want ErrPermission saying the credentials were rejected", err)
			}
			for _, secret := range []string{cfg.SecretKey, cfg.AccessKey, fx.cfg.SecretKey} {
				if err != nil && strings.Contains(err.Error(), secret) {
					t.Errorf("error %q contains a credential", err)
				}
			}
		}
	}
}

func TestTransientGivesUp(t *testing.T) {
	// Nothing listens on port 1: every attempt is refused.
	s := mustNew(t, Config{Endpoint: "http://127.0.0.1:1", AccessKey: "ak-123", SecretKey: "sk-456"}, "bkt")
	s.retry = retryPolicy{attempts: 3, base: time.Millisecond, max: 5 * time.Millisecond, window: 10 * time.Second, slow: time.Millisecond}
	_, err := s.Stat(context.Background(), "k")
	if !storage.IsTransient(err) || !strings.Contains(err.Error(), "gave up after 3 attempts") {
		t.Fatalf("got %v, want a transient error after 3 attempts", err)
	}
	if strings.Contains(err.Error(), "sk-456") || strings.Contains(err.Error(), "ak-123") {
		t.Errorf("error %q contains a credential", err)
	}
}

func TestClassifyResponse(t *testing.T) {
	s := mustNew(t, Config{Endpoint: "http://127.0.0.1:9"}, "bkt")
	for _, tc := range []struct {
		resp      minio.ErrorResponse
		kind      error
		transient bool
	}{
		{minio.ErrorResponse{Code: "NoSuchKey", StatusCode: 404}, storage.ErrNotExist, false},
		{minio.ErrorResponse{Code: "NoSuchBucket", StatusCode: 404}, storage.ErrNotExist, false},
		{minio.ErrorResponse{Code: "AccessDenied", StatusCode: 403}, storage.ErrPermission, false},
		{minio.ErrorResponse{Code: "SignatureDoesNotMatch", StatusCode: 403}, storage.ErrPermission, false},
		{minio.ErrorResponse{Code: "SlowDown", StatusCode: 503}, nil, true},
		{minio.ErrorResponse{Code: "InternalError", StatusCode: 500}, nil, true},
		{minio.ErrorResponse{Code: "502 Bad Gateway", StatusCode: 502}, nil, true},
		{minio.ErrorResponse{Code: "InvalidArgument", StatusCode: 400}, nil, false},
	} {
		err := s.classify(context.Background(), tc.resp)
		if tc.kind != nil && !errors.Is(err, tc.kind) {
			t.Errorf("%s: %v, want %v", tc.resp.Code, err, tc.kind)
		}
		if storage.IsTransient(err) != tc.transient {
			t.Errorf("%s: transient = %v, want %v", tc.resp.Code, storage.IsTransient(err), tc.transient)
		}
	}
}

func TestConfigStringHidesSecrets(t *testing.T) {
	cfg := Config{Endpoint: "http://127.0.0.1:9000", AccessKey: "AKIDEXAMPLE", SecretKey: "wJalrXUtnFEMI", SessionToken: "tok3n"}
	for _, s := range []string{cfg.String(), fmtAll(cfg)} {
		for _, secret := range []string{"AKIDEXAMPLE", "wJalrXUtnFEMI", "tok3n"} {
			if strings.Contains(s, secret) {
				t.Errorf("%q shows %q", s, secret)
			}
		}
	}
}
