package s3

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/minio/minio-go/v7"

	"github.com/drover-etl/drover/storage"
)

// TestMinIO runs the store against a real MinIO server.
func TestMinIO(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a MinIO server")
	}
	fx := newFixture(t)
	for _, tc := range []struct {
		name string
		fn   func(*testing.T, *fixture)
	}{
		{"RoundTrip", testRoundTrip},
		{"RangedReads", testRangedReads},
		{"LargeMultipart", testLargeMultipart},
		{"Abort", testAbort},
		{"CancelDuringUpload", testCancelDuringUpload},
		{"ListDeleteRename", testListDeleteRename},
		{"UnknownBucket", testUnknownBucket},
		{"WrongCredentials", testWrongCredentials},
		{"Resolve", testResolve},
		{"ShuffleRoundTrip", testShuffleRoundTrip},
		{"DeferredInvisibleUntilComplete", testDeferredInvisibleUntilComplete},
		{"DeferredAbort", testDeferredAbort},
		{"AbortAllDeferred", testAbortAllDeferred},
		{"RequestCounts", testRequestCounts},
		{"ReadRange", testReadRange},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, fx) })
	}
}

func testRoundTrip(t *testing.T, fx *fixture) {
	ctx := context.Background()
	data := []byte("hello, drover")
	put(t, fx.s, "rt/hello.txt", data, 5)
	info, err := fx.s.Stat(ctx, "rt/hello.txt")
	if err != nil || info.Size != int64(len(data)) || info.Key != "rt/hello.txt" || info.ModTime.IsZero() {
		t.Fatalf("Stat = %+v, %v", info, err)
	}
	if got := readAll(t, fx.s, "rt/hello.txt"); !bytes.Equal(got, data) {
		t.Fatalf("read %q, want %q", got, data)
	}
	serverStat(t, fx, "rt/hello.txt")
	put(t, fx.s, "rt/empty", nil, 1)
	if got := readAll(t, fx.s, "rt/empty"); len(got) != 0 {
		t.Fatalf("empty object read back %d bytes", len(got))
	}
	if _, err := fx.s.Stat(ctx, "rt/missing"); !errors.Is(err, storage.ErrNotExist) {
		t.Fatalf("Stat(missing) = %v, want ErrNotExist", err)
	}
	if _, err := fx.s.Open(ctx, "rt/missing"); !errors.Is(err, storage.ErrNotExist) {
		t.Fatalf("Open(missing) = %v, want ErrNotExist", err)
	}
	if got, want := fx.s.URL("rt/hello.txt"), "s3://"+testBucket+"/rt/hello.txt"; got != want {
		t.Errorf("URL = %q, want %q", got, want)
	}
}

func testRangedReads(t *testing.T, fx *fixture) {
	data := randomBytes(t, 3<<20+17)
	put(t, fx.s, "ranged/blob", data, 1<<20)
	f, err := fx.s.Open(context.Background(), "ranged/blob")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Size() != int64(len(data)) {
		t.Fatalf("Size = %d, want %d", f.Size(), len(data))
	}
	// A footer read pattern, a sequential scan of small reads, random reads.
	checkReadAt(t, f, data, int64(len(data))-8, 8)
	checkReadAt(t, f, data, int64(len(data))-1000, 992)
	for off := int64(0); off < 1<<20; off += 4099 {
		checkReadAt(t, f, data, off, 4099)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(g), 1))
			for range 20 {
				off := r.Int64N(int64(len(data)))
				checkReadAt(t, f, data, off, r.IntN(12<<20))
			}
		})
	}
	wg.Wait()
	// Past the end: io.EOF with nothing read.
	if n, err := f.ReadAt(make([]byte, 4), int64(len(data))); n != 0 || err != io.EOF {
		t.Errorf("ReadAt past end = %d, %v", n, err)
	}
}

// checkReadAt reads n bytes at off and compares with data, expecting io.EOF
// exactly when the read runs past the end.
func checkReadAt(t *testing.T, f storage.File, data []byte, off int64, n int) {
	p := make([]byte, n)
	got, err := f.ReadAt(p, off)
	want := min(n, len(data)-int(off))
	if got != want || !bytes.Equal(p[:got], data[off:off+int64(got)]) {
		t.Errorf("ReadAt(%d, %d) = %d bytes (%v), want %d matching bytes", n, off, got, err, want)
		return
	}
	if (want < n) != (err == io.EOF) || (err != nil && err != io.EOF) {
		t.Errorf("ReadAt(%d, %d) error = %v (short read: %v)", n, off, err, want < n)
	}
}

func testLargeMultipart(t *testing.T, fx *fixture) {
	ctx := context.Background()
	data := randomBytes(t, 40<<20)
	w, err := fx.s.Create(ctx, "large/blob")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data[:20<<20]); err != nil {
		t.Fatal(err)
	}
	// Parts are on the server now, but the object is not visible yet.
	if _, err := fx.s.Stat(ctx, "large/blob"); !errors.Is(err, storage.ErrNotExist) {
		t.Fatalf("Stat before Close = %v, want ErrNotExist", err)
	}
	if _, err := w.Write(data[20<<20:]); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, fx.s, "large/blob"); !bytes.Equal(got, data) {
		t.Fatalf("read back %d bytes that differ from the %d written", len(got), len(data))
	}
	// Written in small chunks, the first part's buffer outgrows the part
	// size before its bytes do and is handed to the multipart upload.
	small := smallParts(t, fx)
	chunked := data[:3*minPartSize+5]
	put(t, small, "large/chunked", chunked, 300<<10+1)
	if got := readAll(t, small, "large/chunked"); !bytes.Equal(got, chunked) {
		t.Fatalf("chunked: read back %d bytes that differ from the %d written", len(got), len(chunked))
	}
	oi := serverStat(t, fx, "large/blob")
	if !strings.Contains(oi.ETag, "-") {
		t.Errorf("ETag %q: want a multipart ETag (with a part count)", oi.ETag)
	}
}

// serverStat asks MinIO directly, checksums included. Every upload must
// carry a CRC32C, since payloads are not signed (newUpload).
func serverStat(t *testing.T, fx *fixture, key string) minio.ObjectInfo {
	t.Helper()
	c, err := fx.m.Client()
	if err != nil {
		t.Fatal(err)
	}
	oi, err := c.StatObject(context.Background(), testBucket, key, minio.StatObjectOptions{Checksum: true})
	if err != nil {
		t.Fatal(err)
	}
	if oi.ChecksumCRC32C == "" {
		t.Errorf("%s was stored without a CRC32C checksum", key)
	}
	return oi
}

func testListDeleteRename(t *testing.T, fx *fixture) {
	ctx := context.Background()
	for _, k := range []string{"ldr/a/2", "ldr/a/1", "ldr/a/b/3", "ldr/ab/4"} {
		put(t, fx.s, k, []byte(k), 64)
	}
	listIs(t, fx.s, "ldr/a/", "ldr/a/1", "ldr/a/2", "ldr/a/b/3")
	listIs(t, fx.s, "ldr/a", "ldr/a/1", "ldr/a/2", "ldr/a/b/3", "ldr/ab/4")
	listIs(t, fx.s, "ldr/none/")
	if err := fx.s.Rename(ctx, "ldr/a/1", "ldr/c/1"); err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, fx.s, "ldr/c/1"); string(got) != "ldr/a/1" {
		t.Errorf("renamed object holds %q", got)
	}
	if err := fx.s.Delete(ctx, "ldr/a/2"); err != nil {
		t.Fatal(err)
	}
	if err := fx.s.Delete(ctx, "ldr/a/2"); err != nil {
		t.Errorf("deleting an absent object: %v", err)
	}
	listIs(t, fx.s, "ldr/", "ldr/a/b/3", "ldr/ab/4", "ldr/c/1")
	if err := fx.s.Rename(ctx, "ldr/missing", "ldr/x"); !errors.Is(err, storage.ErrNotExist) {
		t.Errorf("Rename(missing) = %v, want ErrNotExist", err)
	}
}

func listIs(t *testing.T, s storage.Store, prefix string, want ...string) {
	t.Helper()
	infos, err := s.List(context.Background(), prefix)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, in := range infos {
		got = append(got, in.Key)
		if in.Size != int64(len(in.Key)) {
			t.Errorf("%s: size %d", in.Key, in.Size)
		}
	}
	if !reflect.DeepEqual(got, want) && (len(got) != 0 || len(want) != 0) {
		t.Errorf("List(%q) = %q, want %q", prefix, got, want)
	}
}
