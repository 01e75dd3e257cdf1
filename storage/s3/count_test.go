package s3

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/drover-etl/drover/metrics"
	"github.com/drover-etl/drover/s3cost"
)

func TestClassifyRequest(t *testing.T) {
	for _, tc := range []struct {
		method, url string
		copySrc     bool
		op          string
		class       s3cost.Class
	}{
		{"GET", "/b/k", false, "get", s3cost.Get},
		{"HEAD", "/b/k", false, "head", s3cost.Get},
		{"GET", "/b/?list-type=2&prefix=x%2F", false, "list", s3cost.List},
		{"GET", "/b/?prefix=x", false, "list", s3cost.List},
		{"GET", "/b/?uploads=", false, "list_multipart", s3cost.List},
		{"GET", "/b/k?uploadId=u1", false, "list_parts", s3cost.List},
		{"GET", "/b/?location=", false, "bucket_location", s3cost.Get},
		{"PUT", "/b/k", false, "put", s3cost.Put},
		{"PUT", "/b/k?partNumber=2&uploadId=u1", false, "upload_part", s3cost.Put},
		{"PUT", "/b/k", true, "copy", s3cost.Put},
		{"PUT", "/b/k?partNumber=1&uploadId=u1", true, "upload_part_copy", s3cost.Put},
		{"POST", "/b/k?uploads=", false, "create_multipart", s3cost.Put},
		{"POST", "/b/k?uploadId=u1", false, "complete_multipart", s3cost.Put},
		{"POST", "/b/?delete=", false, "delete_objects", s3cost.Delete},
		{"DELETE", "/b/k", false, "delete", s3cost.Delete},
		{"DELETE", "/b/k?uploadId=u1", false, "abort_multipart", s3cost.Delete},
		{"OPTIONS", "/b/k", false, "other", s3cost.Get},
	} {
		req, err := http.NewRequest(tc.method, "http://127.0.0.1:9000"+tc.url, nil)
		if err != nil {
			t.Fatal(err)
		}
		if tc.copySrc {
			req.Header.Set("X-Amz-Copy-Source", "/b/src")
		}
		op, class := classifyRequest(req)
		if op != tc.op || class != tc.class {
			t.Errorf("%s %s: got %s/%s, want %s/%s", tc.method, tc.url, op, class, tc.op, tc.class)
		}
	}
}

func TestSentBytes(t *testing.T) {
	body := bytes.NewReader(make([]byte, 100))
	req, _ := http.NewRequest("PUT", "http://h/b/k", body)
	if n := sentBytes(req); n != 100 {
		t.Errorf("sized body: %d, want 100", n)
	}
	req.Header.Set("X-Amz-Decoded-Content-Length", "42")
	if n := sentBytes(req); n != 42 {
		t.Errorf("aws-chunked body: %d, want the decoded length 42", n)
	}
	get, _ := http.NewRequest("GET", "http://h/b/k", nil)
	if n := sentBytes(get); n != 0 {
		t.Errorf("no body: %d, want 0", n)
	}
}

// TestFailedRequestsAreCounted checks that every attempt of a retried
// request is counted (S3 bills them) along with the errors and retries,
// in the context's recorder and in the Prometheus counters.
func TestFailedRequestsAreCounted(t *testing.T) {
	// Nothing listens on port 1: every attempt is refused.
	s := mustNew(t, Config{Endpoint: "http://127.0.0.1:1", AccessKey: "ak-123", SecretKey: "sk-456", Region: "us-east-1"}, "bkt")
	s.retry = retryPolicy{attempts: 3, base: time.Millisecond, max: 5 * time.Millisecond, window: 10 * time.Second}
	heads := testutil.ToFloat64(metrics.S3Requests.WithLabelValues("get", "head"))
	netErrs := testutil.ToFloat64(metrics.S3Errors.WithLabelValues("head", "network"))
	retries := testutil.ToFloat64(metrics.S3Retries)
	rec := s3cost.NewRecorder()
	if _, err := s.Stat(s3cost.WithRecorder(context.Background(), rec), "k"); err == nil {
		t.Fatal("Stat against a closed port succeeded")
	}
	want := s3cost.Usage{Get: s3cost.Count{Requests: 3}, Errors: 3, Retries: 2}
	if got := rec.Usage(); got != want {
		t.Errorf("recorded %+v, want %+v", got, want)
	}
	if d := testutil.ToFloat64(metrics.S3Requests.WithLabelValues("get", "head")) - heads; d != 3 {
		t.Errorf("drover_s3_requests_total{op=head} grew by %v, want 3", d)
	}
	if d := testutil.ToFloat64(metrics.S3Errors.WithLabelValues("head", "network")) - netErrs; d != 3 {
		t.Errorf("drover_s3_request_errors_total{status=network} grew by %v, want 3", d)
	}
	if d := testutil.ToFloat64(metrics.S3Retries) - retries; d != 2 {
		t.Errorf("drover_s3_retries_total grew by %v, want 2", d)
	}
}

// testRequestCounts checks the counts of each kind of store call against
// a real server: one request per small call, every part of a multipart
// upload, and payload bytes in both directions.
func testRequestCounts(t *testing.T, fx *fixture) {
	rec := s3cost.NewRecorder()
	ctx := s3cost.WithRecorder(context.Background(), rec)
	small := []byte("hello, counts")
	w, err := fx.s.Create(ctx, "counts/small")
	if err != nil {
		t.Fatal(err)
	}
	w.Write(small)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := fx.s.Open(ctx, "counts/small")
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, len(small))
	if _, err := f.ReadAt(buf, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.s.List(ctx, "counts/"); err != nil {
		t.Fatal(err)
	}
	if err := fx.s.Delete(ctx, "counts/small"); err != nil {
		t.Fatal(err)
	}
	got := rec.Usage()
	// PUT, then HEAD + GET, LIST, DELETE.
	if got.Put != (s3cost.Count{Requests: 1, Bytes: int64(len(small))}) || got.Get != (s3cost.Count{Requests: 2, Bytes: int64(len(small))}) ||
		got.List.Requests != 1 || got.List.Bytes == 0 || got.Delete != (s3cost.Count{Requests: 1}) || got.Errors != 0 {
		t.Fatalf("small calls recorded %+v", got)
	}

	// A streamed multipart upload of 2 parts and a bit: create, 3 parts,
	// complete; counted although minio-go sends it from its own goroutines.
	rec2 := s3cost.NewRecorder()
	big := randomBytes(t, 2*minPartSize+100)
	w, err = smallParts(t, fx).Create(s3cost.WithRecorder(context.Background(), rec2), "counts/big")
	if err != nil {
		t.Fatal(err)
	}
	for rest := big; len(rest) > 0; rest = rest[min(len(rest), 1<<20):] {
		if _, err := w.Write(rest[:min(len(rest), 1<<20)]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got = rec2.Usage()
	if got.Put.Requests != 5 || got.Put.Bytes < int64(len(big)) || got.Get.Requests != 0 || got.Errors != 0 {
		t.Fatalf("multipart upload recorded %+v, want 5 PUT-class requests of ≥ %d bytes", got, len(big))
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestCountingTransport checks the accounting of answers without a
// server: error statuses (404 excepted), Slow Down, and body bytes in
// both directions, including a body of unknown length.
func TestCountingTransport(t *testing.T) {
	status := 0
	next := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.Body != nil {
			io.Copy(io.Discard, r.Body)
		}
		return &http.Response{StatusCode: status, Body: io.NopCloser(strings.NewReader("hello")), Request: r}, nil
	})
	tr := countingTransport{next: next}
	send := func(method string, code int, body io.Reader, size int64) *s3cost.Recorder {
		t.Helper()
		rec := s3cost.NewRecorder()
		req, _ := http.NewRequestWithContext(s3cost.WithRecorder(context.Background(), rec), method, "http://h/b/k", body)
		if body != nil {
			req.ContentLength = size
		}
		status = code
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return rec
	}
	slow := testutil.ToFloat64(metrics.S3SlowDowns)
	errs503 := testutil.ToFloat64(metrics.S3Errors.WithLabelValues("get", "503"))
	if u := send("GET", 503, nil, 0).Usage(); u.Errors != 1 || u.Get != (s3cost.Count{Requests: 1, Bytes: 5}) {
		t.Errorf("503 GET: %+v", u)
	}
	if d := testutil.ToFloat64(metrics.S3SlowDowns) - slow; d != 1 {
		t.Errorf("drover_s3_slowdowns_total grew by %v, want 1", d)
	}
	if d := testutil.ToFloat64(metrics.S3Errors.WithLabelValues("get", "503")) - errs503; d != 1 {
		t.Errorf("drover_s3_request_errors_total{op=get,status=503} grew by %v, want 1", d)
	}
	if u := send("HEAD", 404, nil, 0).Usage(); u.Errors != 0 || u.Get.Requests != 1 {
		t.Errorf("404 HEAD: %+v, want a request and no error", u)
	}
	if u := send("PUT", 200, strings.NewReader("0123456789"), 10).Usage(); u.Put != (s3cost.Count{Requests: 1, Bytes: 10}) || u.Get.Bytes != 0 {
		t.Errorf("PUT of 10 bytes: %+v", u)
	}
	unknown := io.MultiReader(strings.NewReader("0123"), strings.NewReader("456"))
	if u := send("PUT", 200, unknown, -1).Usage(); u.Put != (s3cost.Count{Requests: 1, Bytes: 7}) {
		t.Errorf("PUT of 7 bytes of unknown length: %+v", u)
	}
}
