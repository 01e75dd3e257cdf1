package harness

import (
	"slices"
	"time"
)

// median is the middle value (the mean of the two middle ones for an
// even count); 0 for none.
func median(vs []time.Duration) time.Duration {
	if len(vs) == 0 {
		return 0
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
