package udf

import (
	"fmt"
	"os"
)

// Shared memory for scalar calls. Inline, a batch is copied into gRPC's
// buffers, through the socket twice (kernel in, kernel out), out of gRPC's
// buffers and into one slice again: five copies and a dozen system calls
// per direction. Through a region mapped by both processes, the executor
// copies the arguments in once, the plugin reads them in place and copies
// its result in once, and the executor copies that out once; the gRPC
// messages shrink to a few bytes. See ScalarRequest in proto/udf.proto.

// region is one Scalar stream's shared file, mapped.
type region struct {
	path  string
	data  []byte
	owner bool // the executor's: it removes the file
}

// Region sizes: the first is enough for a 64 Ki-row batch of short strings
// and its result; a larger batch replaces the region with one of twice
// its size; beyond maxRegion, batches go inline.
const (
	minRegion = 8 << 20
	maxRegion = 512 << 20
)

// span returns the bytes at [off, off+n), or an error if they are not all
// inside the region: a peer's offsets are not trusted.
func (r *region) span(off, n int64) ([]byte, error) {
	if r == nil || off < 0 || n < 0 || off+n > int64(len(r.data)) {
		return nil, fmt.Errorf("%w: span [%d, +%d) outside the shared region", ErrProtocol, off, n)
	}
	return r.data[off : off+n : off+n], nil
}

// put copies segments into the region at off; false if they do not fit.
func (r *region) put(off int, s *segments) bool {
	if off+s.size > len(r.data) {
		return false
	}
	for _, b := range s.segs {
		off += copy(r.data[off:], b)
	}
	return true
}

// unlink removes the file once the plugin has mapped it: the mappings
// live on, and nothing is left behind if either process dies.
func (r *region) unlink() {
	if r.owner && r.path != "" {
		os.Remove(r.path)
		r.path = ""
	}
}

func (r *region) close() {
	if r == nil {
		return
	}
	r.unlink()
	r.unmap()
	r.data = nil
}

// align8 rounds n up to Arrow's buffer alignment.
func align8(n int) int { return (n + 7) &^ 7 }
