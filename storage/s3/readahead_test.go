package s3

import (
	"fmt"
	"testing"
)

func fmtAll(v any) string { return fmt.Sprintf("%v %+v %#v %s", v, v, v, v) }

func TestReadaheadPlan(t *testing.T) {
	const size = 100 << 20
	var r readahead
	// A footer: the 8-byte length at the end brings the 64 KiB before it.
	if s, e, d := r.plan(size-8, 8, size); d || s != size-minWindow || e != size {
		t.Fatalf("footer plan = [%d, %d) direct=%v", s, e, d)
	}
	// A sequential scan of small reads: the window doubles up to maxWindow.
	r = readahead{}
	off, last := int64(0), int64(0)
	for range 12 {
		s, e, _ := r.plan(off, 100, size)
		last = e - s
		off += 100
	}
	if last != 100+maxWindow {
		t.Errorf("sequential fetch size = %d, want %d", last, 100+maxWindow)
	}
	// A jump resets the window; a large read goes straight to the caller.
	if s, e, _ := r.plan(50<<20, 100, size); e-s != minWindow {
		t.Errorf("random read fetches %d bytes, want %d", e-s, minWindow)
	}
	if _, _, d := r.plan(0, maxWindow, size); !d {
		t.Error("a read of maxWindow bytes is not direct")
	}
}
