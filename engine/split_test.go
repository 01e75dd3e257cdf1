package engine

import "testing"

func TestSplitTarget(t *testing.T) {
	const mib = 1 << 20
	for _, tc := range []struct {
		size  int64
		slots int
		want  int64
	}{
		{size: 1 * mib, slots: 2, want: MinSplitBytes},       // small inputs stay whole
		{size: 60 * mib, slots: 2, want: 30 * mib},           // one file, two slots: two splits
		{size: 222 * mib, slots: 2, want: 111 * mib},         // SF1 lineitem
		{size: 2300 * mib, slots: 2, want: TargetSplitBytes}, // large inputs: the usual target
		{size: 60 * mib, slots: 0, want: 60 * mib},           // no slot count: one per split
		{size: 60 * mib, slots: 16, want: MinSplitBytes},     // never below the floor
		{size: 1 << 40, slots: 1, want: TargetSplitBytes},    // never above the target
	} {
		if got := splitTarget(tc.size, tc.slots); got != tc.want {
			t.Errorf("splitTarget(%d MiB, %d) = %d MiB, want %d MiB", tc.size/mib, tc.slots, got/mib, tc.want/mib)
		}
	}
}
