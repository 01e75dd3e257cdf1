package driver

import (
	"testing"
	"time"
)

func TestBackoffCap(t *testing.T) {
	for _, tc := range []struct {
		base time.Duration
		n    int
		want time.Duration
	}{
		{500 * time.Millisecond, 1, 500 * time.Millisecond},
		{500 * time.Millisecond, 2, time.Second},
		{500 * time.Millisecond, 4, 4 * time.Second},
		{500 * time.Millisecond, 7, maxTaskBackoff},
		{500 * time.Millisecond, 500, maxTaskBackoff},
		{-1, 3, 0},
	} {
		if got := backoffCap(tc.base, tc.n); got != tc.want {
			t.Errorf("backoffCap(%v, %d) = %v, want %v", tc.base, tc.n, got, tc.want)
		}
	}
}
