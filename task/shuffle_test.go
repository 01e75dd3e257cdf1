package task

import "testing"

// The shuffle object name is shared by executors (which write it), the
// driver and gc (which find its incomplete uploads by it): it must not
// change under them.
func TestShuffleURLIsStable(t *testing.T) {
	if got, want := ShuffleURL("s3://b/sh/run", 2, 5, 1), "s3://b/sh/run/61/s2-m5-a1.arrows"; got != want {
		t.Fatalf("ShuffleURL = %q, want %q", got, want)
	}
}
