package shuffle

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// The chunked buffer holds exactly the bytes written, in order, for
// writes smaller than, equal to and larger than a chunk.
func TestEncodedChunksKeepBytes(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var e encoded
	var want bytes.Buffer
	sizes := []int{0, 1, minChunk - 1, 1, minChunk, 3 * maxChunk, 7, maxChunk, 0, 12345}
	for range 200 {
		sizes = append(sizes, r.IntN(40000))
	}
	for _, n := range sizes {
		p := make([]byte, n)
		for i := range p {
			p[i] = byte(r.Uint32())
		}
		if k, err := e.Write(p); k != n || err != nil {
			t.Fatalf("Write(%d) = %d, %v", n, k, err)
		}
		want.Write(p)
		if e.len() != want.Len() || e.cap() < e.len() {
			t.Fatalf("len %d cap %d, want len %d", e.len(), e.cap(), want.Len())
		}
	}
	var got bytes.Buffer
	if n, err := e.writeTo(&got); err != nil || n != int64(want.Len()) {
		t.Fatalf("writeTo = %d, %v", n, err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Fatal("bytes differ")
	}
	// the slack stays bounded: at most one chunk's worth past the bytes
	if e.cap()-e.len() > 3*maxChunk {
		t.Fatalf("cap %d for %d bytes", e.cap(), e.len())
	}
	e.reset()
	if e.len() != 0 || e.cap() != 0 {
		t.Fatal("reset kept bytes")
	}
	got.Reset()
	if _, err := e.writeTo(&got); err != nil || got.Len() != 0 {
		t.Fatal("empty buffer wrote bytes")
	}
}
