package driver

import (
	"context"
	"math/rand/v2"
	"time"
)

// maxTaskBackoff caps one wait between attempts of a task.
const maxTaskBackoff = 30 * time.Second

// backoff waits before the next attempt of a task that failed n times:
// exponential from Config.RetryBackoff with full jitter, so tasks that
// failed together (an overloaded or restarting store) do not come back in
// step. It holds no executor slot while it waits.
func (s *scheduler) backoff(ctx context.Context, n int) error {
	d := backoffCap(s.cfg.RetryBackoff, n)
	if d == 0 {
		return nil
	}
	t := time.NewTimer(rand.N(d + 1))
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// backoffCap is the longest wait after the n-th failure (0: none).
func backoffCap(base time.Duration, n int) time.Duration {
	if base <= 0 {
		return 0
	}
	d := base << min(max(n-1, 0), 20)
	if d > maxTaskBackoff || d <= 0 {
		return maxTaskBackoff
	}
	return d
}
