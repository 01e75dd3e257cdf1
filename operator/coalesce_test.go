package operator

import "testing"

// TestCoalesceRange: the runs cover every input partition once, in
// order, and differ in length by at most one.
func TestCoalesceRange(t *testing.T) {
	for _, tc := range []struct{ n, in int }{{3, 8}, {1, 5}, {4, 4}, {5, 3}, {7, 100}, {2, 3}} {
		next, lo0, hi0 := 0, 1<<30, 0
		for part := range min(tc.n, tc.in) {
			lo, hi := coalesceRange(part, tc.n, tc.in)
			if lo != next || hi <= lo {
				t.Fatalf("coalesce %d of %d: task %d reads [%d,%d), want from %d", tc.n, tc.in, part, lo, hi, next)
			}
			lo0, hi0 = min(lo0, hi-lo), max(hi0, hi-lo)
			next = hi
		}
		if next != tc.in || hi0-lo0 > 1 {
			t.Fatalf("coalesce %d of %d: runs end at %d, lengths %d..%d", tc.n, tc.in, next, lo0, hi0)
		}
	}
}
