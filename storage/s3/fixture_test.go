package s3

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"testing"

	"github.com/drover-etl/drover/internal/testutil"
	"github.com/drover-etl/drover/storage"
)

const testBucket = "drover-test"

// fixture is one MinIO server shared by the subtests of TestMinIO:
// starting a server per test would cost more than most tests do.
type fixture struct {
	m   *testutil.MinIO
	cfg Config
	s   *Store
}

func newFixture(t *testing.T) *fixture {
	m := testutil.StartMinIO(t)
	m.MakeBucket(t, testBucket)
	cfg := Config{Endpoint: m.Endpoint, AccessKey: m.AccessKey, SecretKey: m.SecretKey, Region: m.Region}
	return &fixture{m: m, cfg: cfg, s: mustNew(t, cfg, testBucket)}
}

func mustNew(t testing.TB, cfg Config, bucket string) *Store {
	t.Helper()
	s, err := New(cfg, bucket)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func randomBytes(t testing.TB, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

// put writes data to key in chunks of chunk bytes and closes the object.
func put(t testing.TB, s storage.Store, key string, data []byte, chunk int) {
	t.Helper()
	w, err := s.Create(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	for rest := data; len(rest) > 0; {
		n := min(chunk, len(rest))
		if _, err := w.Write(rest[:n]); err != nil {
			t.Fatalf("write %s: %v", key, err)
		}
		rest = rest[n:]
	}
	if err := w.Close(); err != nil {
		t.Fatalf("close %s: %v", key, err)
	}
}

// readAll reads a whole object through ReadAt.
func readAll(t testing.TB, s storage.Store, key string) []byte {
	t.Helper()
	f, err := s.Open(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, io.NewSectionReader(f, 0, f.Size())); err != nil {
		t.Fatalf("read %s: %v", key, err)
	}
	return buf.Bytes()
}
