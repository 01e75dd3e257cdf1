package operator

import "testing"

// The merge's fan-in shrinks with the sort's share of the budget, never
// below 2 (a merge must make progress) nor above mergeFanIn. (Multi-pass
// merges at the smallest fan-in are exercised, answers and tie order
// compared with the in-memory sort, by TestSpillMergeMatchesInMemorySort's
// budget of 1 byte.)
func TestFanInFor(t *testing.T) {
	for _, tc := range []struct {
		share int64
		want  int
	}{
		{-1, mergeFanIn},
		{0, 2},
		{5 * mergeBytesPerRun, 5},
		{32 << 20, int(int64(32<<20) / mergeBytesPerRun)},
		{1 << 40, mergeFanIn},
	} {
		if got := fanInFor(tc.share); got != tc.want {
			t.Errorf("fanInFor(%d) = %d, want %d", tc.share, got, tc.want)
		}
	}
}
