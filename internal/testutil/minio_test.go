package testutil

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func TestStartMinIO(t *testing.T) {
	skipShort(t)
	m := StartMinIO(t)
	if !strings.HasPrefix(m.Endpoint, "http://127.0.0.1:") {
		t.Fatalf("endpoint %q is not loopback", m.Endpoint)
	}
	if err := getOK(m.Endpoint + "/minio/health/live"); err != nil {
		t.Fatal(err)
	}
	m.MakeBucket(t, "drover-test")
	c, err := m.Client()
	if err != nil {
		t.Fatal(err)
	}
	ok, err := c.BucketExists(context.Background(), "drover-test")
	if err != nil || !ok {
		t.Fatalf("bucket after MakeBucket: exists=%v err=%v", ok, err)
	}
	env := strings.Join(m.Env(), "\n")
	for _, want := range []string{"AWS_ACCESS_KEY_ID=", "AWS_SECRET_ACCESS_KEY=", "AWS_REGION=", "AWS_ENDPOINT_URL_S3=" + m.Endpoint} {
		if !strings.Contains(env, want) {
			t.Errorf("Env() lacks %q", want)
		}
	}
}

// recorder captures failures that testutil reports, so a test can check
// that a crashed server fails the test, without failing this one.
type recorder struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, strings.TrimSpace(fmt.Sprintf(format, args...)))
}

func TestUnexpectedExitFailsTest(t *testing.T) {
	skipShort(t)
	rec := &recorder{TB: t}
	m := StartMinIO(rec)
	if err := syscall.Kill(m.proc.cmd.Process.Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	select {
	case <-m.proc.done:
	case <-time.After(10 * time.Second):
		t.Fatal("minio did not exit after SIGKILL")
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.errs) != 1 || !strings.Contains(rec.errs[0], "minio exited unexpectedly") {
		t.Fatalf("failures reported: %q", rec.errs)
	}
	if !strings.Contains(rec.errs[0], "last lines of") {
		t.Errorf("failure lacks the log tail: %q", rec.errs[0])
	}
}

func TestFreePortDistinct(t *testing.T) {
	seen := map[int]bool{}
	for range 50 {
		p, err := FreePort()
		if err != nil {
			t.Fatal(err)
		}
		if seen[p] {
			t.Fatalf("port %d handed out twice", p)
		}
		seen[p] = true
	}
}

// skipShort skips server tests under -short (`make test-short`, unit tests
// only). Without -short a missing binary is built, never skipped.
func skipShort(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a real server")
	}
}

// An outage: after Stop the endpoint refuses; after Restart the same
// endpoint serves the same data.
func TestMinIOStopRestart(t *testing.T) {
	skipShort(t)
	m := StartMinIO(t)
	m.MakeBucket(t, "kept")
	m.Stop(t)
	if err := getOK(m.Endpoint + "/minio/health/live"); err == nil {
		t.Fatal("a stopped MinIO still answers")
	}
	m.Restart(t)
	c, err := m.Client()
	if err != nil {
		t.Fatal(err)
	}
	ok, err := c.BucketExists(context.Background(), "kept")
	if err != nil || !ok {
		t.Fatalf("bucket after the restart: exists=%v err=%v", ok, err)
	}
}
