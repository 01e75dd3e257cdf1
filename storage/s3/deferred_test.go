package s3

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/drover-etl/drover/storage"
)

// smallParts is the fixture's store with 5 MiB parts sent two at a time,
// so a 12 MiB object exercises concurrent parts without costing much.
func smallParts(t *testing.T, fx *fixture) *Store {
	cfg := fx.cfg
	cfg.PartSize, cfg.UploadThreads = minPartSize, 2
	return mustNew(t, cfg, testBucket)
}

// writeDeferred writes data to key in chunks and returns the token.
func writeDeferred(t *testing.T, s *Store, key string, data []byte) string {
	t.Helper()
	w, err := s.CreateDeferred(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	for rest := data; len(rest) > 0; {
		n := min(1<<20+7, len(rest))
		if _, err := w.Write(rest[:n]); err != nil {
			t.Fatalf("write %s: %v", key, err)
		}
		rest = rest[n:]
	}
	tok, err := w.Close()
	if err != nil {
		t.Fatalf("close %s: %v", key, err)
	}
	return tok
}

func testDeferredInvisibleUntilComplete(t *testing.T, fx *fixture) {
	ctx := context.Background()
	s := smallParts(t, fx)
	for _, size := range []int{0, 10 << 10, 12<<20 + 3} { // empty, one part, three parts
		key := fmt.Sprintf("deferred/visible/%d/blob", size)
		data := randomBytes(t, size)
		tok := writeDeferred(t, s, key, data)
		if _, err := s.Stat(ctx, key); !errors.Is(err, storage.ErrNotExist) {
			t.Fatalf("%d bytes: Stat before completion = %v, want ErrNotExist", size, err)
		}
		listIs(t, s, fmt.Sprintf("deferred/visible/%d/", size))
		if err := s.CompleteDeferred(ctx, key, tok); err != nil {
			t.Fatalf("%d bytes: complete: %v", size, err)
		}
		if got := readAll(t, s, key); !bytes.Equal(got, data) {
			t.Fatalf("%d bytes: read back %d bytes that differ", size, len(got))
		}
		serverStat(t, fx, key)
		// A retried completion (the first answer lost) succeeds too.
		if err := s.CompleteDeferred(ctx, key, tok); err != nil {
			t.Errorf("%d bytes: completing again: %v", size, err)
		}
	}
	noIncompleteUploads(t, fx, "deferred/visible/")
}

func testDeferredAbort(t *testing.T, fx *fixture) {
	ctx := context.Background()
	s := smallParts(t, fx)
	tok := writeDeferred(t, s, "deferred/abort/closed", randomBytes(t, 6<<20))
	if err := s.AbortDeferred(ctx, "deferred/abort/closed", tok); err != nil {
		t.Fatal(err)
	}
	if err := s.AbortDeferred(ctx, "deferred/abort/closed", tok); err != nil {
		t.Errorf("aborting again: %v", err)
	}
	if err := s.CompleteDeferred(ctx, "deferred/abort/closed", tok); !errors.Is(err, storage.ErrNotExist) {
		t.Errorf("completing an aborted upload = %v, want ErrNotExist", err)
	}
	// A writer aborted after sending parts leaves nothing either.
	w, err := s.CreateDeferred(ctx, "deferred/abort/open")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(randomBytes(t, 11<<20)); err != nil {
		t.Fatal(err)
	}
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Close(); err == nil {
		t.Error("Close after Abort returned a token")
	}
	// So does one whose caller gave up while parts were in flight.
	cctx, cancel := context.WithCancel(ctx)
	w, err = s.CreateDeferred(cctx, "deferred/abort/canceled")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(randomBytes(t, 11<<20)); err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := w.Close(); !errors.Is(err, context.Canceled) {
		t.Errorf("Close after cancel = %v, want context.Canceled", err)
	}
	if err := s.CompleteDeferred(ctx, "deferred/abort/x", "garbage"); err == nil || !strings.Contains(err.Error(), "not a deferred upload token") {
		t.Errorf("bad token: %v", err)
	}
	listIs(t, s, "deferred/abort/")
	noIncompleteUploads(t, fx, "deferred/abort/")
}

// testAbortAllDeferred aborts one run's uploads under a prefix, closed or
// not (a writer whose process died), and leaves everyone else's alone.
func testAbortAllDeferred(t *testing.T, fx *fixture) {
	ctx := context.Background()
	s := smallParts(t, fx)
	writeDeferred(t, s, "deferred/all/out/a=1/part-00000-run1-x", []byte("closed"))
	writeDeferred(t, s, "deferred/all/out/part-00001-run2-y", []byte("another run"))
	writeDeferred(t, s, "deferred/all/elsewhere/part-00000-run1-z", []byte("another output"))
	w, err := s.CreateDeferred(ctx, "deferred/all/out/part-00002-run1-killed")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(randomBytes(t, 6<<20)); err != nil { // one part is on the server
		t.Fatal(err)
	}
	w.(*deferredWriter).wg.Wait()
	n, err := s.AbortAllDeferred(ctx, "deferred/all/out/", func(k string) bool { return strings.Contains(k, "-run1-") })
	if err != nil || n != 2 {
		t.Fatalf("AbortAllDeferred = %d, %v; want 2 aborted", n, err)
	}
	got := incompleteKeys(t, fx, "deferred/all/")
	if strings.Join(got, " ") != "deferred/all/elsewhere/part-00000-run1-z deferred/all/out/part-00001-run2-y" {
		t.Errorf("left: %v", got)
	}
	if n, err := s.AbortAllDeferred(ctx, "deferred/all/", nil); err != nil || n != 2 {
		t.Errorf("AbortAllDeferred(all) = %d, %v; want 2", n, err)
	}
	noIncompleteUploads(t, fx, "deferred/all/")
}

func TestParseToken(t *testing.T) {
	tok := token{Upload: "id/+=", Parts: []part{{N: 1, ETag: `"e"`, CRC32C: "c=="}}}.String()
	got, err := parseToken(tok)
	if err != nil || got.Upload != "id/+=" || len(got.Parts) != 1 || got.Parts[0].ETag != `"e"` {
		t.Fatalf("parseToken(%s) = %+v, %v", tok, got, err)
	}
	for _, bad := range []string{"", "{}", `{"upload":"x"}`, "x#y"} {
		if _, err := parseToken(bad); err == nil {
			t.Errorf("parseToken(%q) accepted", bad)
		}
	}
}
