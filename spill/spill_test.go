package spill_test

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/minio/minio-go/v7"

	"github.com/drover-etl/drover/internal/testutil"
	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/spill"
	"github.com/drover-etl/drover/storage"
	_ "github.com/drover-etl/drover/storage/s3"
)

// roundTrip writes data to a new file of d in uneven pieces, then reads it
// back whole and by ranges, and removes it.
func roundTrip(t *testing.T, d spill.Dir, pool *memory.Pool, data []byte) {
	t.Helper()
	w, err := d.Create("test", pool)
	if err != nil {
		t.Fatal(err)
	}
	for rest := data; len(rest) > 0; {
		n := min(len(rest), 1+len(rest)%(700<<10))
		if _, err := w.Write(rest[:n]); err != nil {
			t.Fatal(err)
		}
		rest = rest[n:]
	}
	f, err := w.Finish()
	if err != nil {
		t.Fatal(err)
	}
	w.Abort() // after Finish: nothing
	if f.Size() != int64(len(data)) {
		t.Fatalf("size %d, wrote %d", f.Size(), len(data))
	}
	got, err := io.ReadAll(spill.Reader(f))
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read back %d bytes (%v), wrote %d", len(got), err, len(data))
	}
	size := int64(len(data))
	for _, r := range [][2]int64{{0, 1}, {7, min(2<<20+3, size-7)}, {size - 5, 5}, {size / 2, 0}} {
		got, err := io.ReadAll(f.Section(r[0], r[1]))
		if err != nil || !bytes.Equal(got, data[r[0]:r[0]+r[1]]) {
			t.Fatalf("range %v: %d bytes (%v) differ", r, len(got), err)
		}
	}
	if err := f.Remove(); err != nil {
		t.Fatal(err)
	}
	if err := f.Remove(); err != nil {
		t.Fatalf("second Remove: %v", err)
	}
}

func randomBytes(n int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func TestLocal(t *testing.T) {
	dir := t.TempDir()
	roundTrip(t, spill.Local(dir), nil, randomBytes(3<<20))
	w, err := spill.Local(dir).Create("aborted", nil)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("x"))
	w.Abort()
	if left, _ := os.ReadDir(dir); len(left) > 0 {
		t.Fatalf("files left: %v", left)
	}
}

// TestPlaceWithNowhereToSpill: a temp dir that cannot be written and no S3
// shuffle directory fail the first spill, naming the directory and what
// to set.
func TestPlaceWithNowhereToSpill(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "gone")
	p, err := spill.NewPlace(missing, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := p.Dir(context.Background(), spill.Task{Run: "r", Executor: "e", ID: "1.0.0", ShuffleDir: t.TempDir()})
	_, err = d.Create("sort", nil)
	if err == nil {
		t.Fatal("spilled into a directory that does not exist")
	}
	for _, want := range []string{missing, "not writable", "--temp-dir"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

func TestPlaceRefusesOtherSchemes(t *testing.T) {
	if _, err := spill.NewPlace("gs://bucket/tmp", nil); err == nil {
		t.Fatal("accepted a gs:// temp dir")
	}
}

// TestRemote writes files of one and of several parts to MinIO, reads
// them back whole and by ranges within the pool's reservation, and leaves
// nothing behind: no object, no incomplete upload, nothing reserved.
func TestRemote(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a MinIO server")
	}
	m := testutil.StartMinIO(t)
	m.MakeBucket(t, "spill")
	m.SetEnv(t)
	storage.ResetCache()
	t.Cleanup(storage.ResetCache)
	ctx := context.Background()
	p, err := spill.NewPlace("s3://spill/tmp/", nil)
	if err != nil {
		t.Fatal(err)
	}
	d := p.Dir(ctx, spill.Task{Run: "20261207T180000-0123abcd", Executor: "e1", ID: "1.2.0"})
	if got, want := d.String(), "s3://spill/tmp/20261207T180000-0123abcd/spill/e1/1.2.0/"; got != want {
		t.Fatalf("dir %s, want %s", got, want)
	}
	pool := memory.NewPool(1 << 20)
	roundTrip(t, d, pool, randomBytes(100<<10))
	roundTrip(t, d, pool, randomBytes(12<<20+17)) // three parts of 5 MiB
	if h := pool.Held(); h != 0 {
		t.Fatalf("the pool holds %d bytes after the files are gone", h)
	}

	w, err := d.Create("aborted", pool)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(randomBytes(6 << 20)); err != nil { // one part sent
		t.Fatal(err)
	}
	if h := pool.Held(); h <= 0 || h > 2*spill.PartSize {
		t.Fatalf("an open upload holds %d bytes of the pool, want (0, %d]", h, 2*spill.PartSize)
	}
	w.Abort()
	if h := pool.Held(); h != 0 {
		t.Fatalf("the pool holds %d bytes after Abort", h)
	}
	c, err := m.Client()
	if err != nil {
		t.Fatal(err)
	}
	for o := range c.ListObjects(ctx, "spill", minio.ListObjectsOptions{Recursive: true}) {
		t.Errorf("object left: %s (%v)", o.Key, o.Err)
	}
	for u := range c.ListIncompleteUploads(ctx, "spill", "", true) {
		t.Errorf("upload left: %s (%v)", u.Key, u.Err)
	}
}
