package s3

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/drover-etl/drover/metrics"
	"github.com/drover-etl/drover/s3cost"
	"github.com/drover-etl/drover/storage"
)

// retryPolicy bounds retries of transient failures both in attempts and in
// time, so a dead endpoint fails a task in seconds, not minutes, and the
// scheduler's own retry takes over.
type retryPolicy struct {
	attempts int
	base     time.Duration // first backoff; doubles per attempt
	max      time.Duration // cap on one backoff
	budget   time.Duration // no new attempt starts after this long
}

var defaultRetry = retryPolicy{attempts: 5, base: 100 * time.Millisecond, max: 2 * time.Second, budget: 30 * time.Second}

// do runs op until it succeeds, fails for good, or the policy gives up,
// and returns op's last error classified (see classify).
func (s *Store) do(ctx context.Context, op func(context.Context) error) error {
	start := time.Now()
	for attempt := 1; ; attempt++ {
		err := op(ctx)
		if err == nil {
			return nil
		}
		err = s.classify(ctx, err)
		if !storage.IsTransient(err) {
			return err
		}
		if attempt >= s.retry.attempts || time.Since(start) >= s.retry.budget {
			return fmt.Errorf("%w (gave up after %d attempts in %v)", err, attempt, time.Since(start).Round(time.Millisecond))
		}
		s3cost.FromContext(ctx).Retry()
		metrics.S3Retries.Inc()
		if err := sleep(ctx, s.retry.backoff(attempt)); err != nil {
			return err
		}
	}
}

// backoff is the wait after the given failed attempt: exponential with
// jitter (half to all of it), so retrying workers do not hit the server
// in step.
func (p retryPolicy) backoff(attempt int) time.Duration {
	d := p.base << (attempt - 1)
	if d > p.max || d <= 0 {
		d = p.max
	}
	return d/2 + rand.N(d/2+1)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
