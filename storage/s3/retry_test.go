package s3

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// A server that says SlowDown (503) is retried until it answers, and the
// whole store pauses: the throttle is engaged for every request.
func TestSlowDownIsRiddenOut(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= 3 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Last-Modified", time.Now().UTC().Format(http.TimeFormat))
		w.Header().Set("ETag", `"abc"`)
		w.Header().Set("Content-Length", "7")
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	s := mustNew(t, Config{Endpoint: srv.URL, AccessKey: "ak", SecretKey: "sk", Region: "us-east-1"}, "bkt")
	s.retry = retryPolicy{base: time.Millisecond, max: 20 * time.Millisecond, window: time.Minute, slow: 5 * time.Millisecond}
	in, err := s.Stat(context.Background(), "k")
	if err != nil {
		t.Fatalf("Stat through three SlowDowns: %v", err)
	}
	if in.Size != 7 || calls.Load() != 4 {
		t.Fatalf("size %d after %d calls, want 7 after 4", in.Size, calls.Load())
	}
	s.throttle.mu.Lock()
	engaged := !s.throttle.until.IsZero()
	s.throttle.mu.Unlock()
	if !engaged {
		t.Error("SlowDown did not engage the store's throttle")
	}
}

func TestBackoffIsBoundedAndJittered(t *testing.T) {
	p := defaultRetry(0)
	if p.window != DefaultRetryWindow || p.window < time.Minute {
		t.Fatalf("default window %v, want DefaultRetryWindow of at least a minute", p.window)
	}
	distinct := map[time.Duration]bool{}
	for attempt := 1; attempt <= 40; attempt++ {
		d := p.backoff(attempt)
		if d < 0 || d > p.max {
			t.Fatalf("backoff(%d) = %v, outside [0, %v]", attempt, d, p.max)
		}
		distinct[d] = true
	}
	if len(distinct) < 10 {
		t.Errorf("backoffs barely vary (%d distinct of 40): no jitter", len(distinct))
	}
}

func TestRetryWindowFromEnv(t *testing.T) {
	t.Setenv(retryWindowEnv, "90s")
	if got := ConfigFromEnv().RetryWindow; got != 90*time.Second {
		t.Errorf("window %v, want 90s", got)
	}
	t.Setenv(retryWindowEnv, "soon")
	if _, err := New(ConfigFromEnv(), "bkt"); err == nil {
		t.Error("a malformed DROVER_S3_RETRY_WINDOW was accepted")
	}
}
