package s3

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/drover-etl/drover/metrics"
	"github.com/drover-etl/drover/s3cost"
	"github.com/drover-etl/drover/storage"
)

// DefaultRetryWindow is how long a request keeps being retried through
// transient failures: long enough to ride out a server restart or a
// minute-long outage, after which the task fails and the scheduler's own
// retries (with their backoff) take over.
const DefaultRetryWindow = 2 * time.Minute

// retryPolicy bounds retries of transient failures in time (the window)
// and, optionally, in attempts.
type retryPolicy struct {
	attempts int           // 0: no limit but the window
	base     time.Duration // first backoff cap; doubles per attempt
	max      time.Duration // cap on one backoff
	window   time.Duration // no new attempt starts after this long
	slow     time.Duration // least backoff after the server said SlowDown
}

func defaultRetry(window time.Duration) retryPolicy {
	if window <= 0 {
		window = DefaultRetryWindow
	}
	return retryPolicy{base: 100 * time.Millisecond, max: 5 * time.Second, window: window, slow: time.Second}
}

// do runs op until it succeeds, fails for good, or the policy gives up,
// and returns op's last error classified (see classify). Every request
// of the store first waits out a throttle the server asked for.
func (s *Store) do(ctx context.Context, op func(context.Context) error) error {
	start := time.Now()
	for attempt := 1; ; attempt++ {
		if err := sleep(ctx, s.throttle.wait()); err != nil {
			return err
		}
		err := op(ctx)
		if err == nil {
			s.throttle.ok()
			return nil
		}
		err = s.classify(ctx, err)
		if !storage.IsTransient(err) {
			return err
		}
		if throttled(err) {
			s.throttle.slowDown(s.retry)
		}
		if s.retry.attempts > 0 && attempt >= s.retry.attempts || time.Since(start) >= s.retry.window {
			return fmt.Errorf("%w (gave up after %d attempts in %v)", err, attempt, time.Since(start).Round(time.Millisecond))
		}
		s3cost.FromContext(ctx).Retry()
		metrics.S3Retries.Inc()
		if err := sleep(ctx, s.retry.backoff(attempt)); err != nil {
			return err
		}
	}
}

// backoff is the wait after the given failed attempt: "full jitter"
// (anywhere from zero to an exponentially growing cap), so workers that
// failed together do not retry in step.
func (p retryPolicy) backoff(attempt int) time.Duration {
	d := p.base << min(attempt-1, 30)
	if d > p.max || d <= 0 {
		d = p.max
	}
	return rand.N(d + 1)
}

// throttled reports whether the server asked us to slow down.
func throttled(err error) bool {
	var e *s3Error
	return errors.As(err, &e) && e.throttle
}

// throttle is a store-wide pause the server asked for (SlowDown, 503,
// 429): every request of the store waits it out, not only the one that
// was told, and each further SlowDown doubles it up to the policy's max.
type throttle struct {
	mu    sync.Mutex
	level int
	until time.Time
}

func (t *throttle) slowDown(p retryPolicy) {
	t.mu.Lock()
	defer t.mu.Unlock()
	d := p.slow << min(t.level, 16)
	if d > p.max || d <= 0 {
		d = p.max
	}
	t.level++
	// Half fixed, half jitter: the pause must be real, yet spread.
	if u := time.Now().Add(d/2 + rand.N(d/2+1)); u.After(t.until) {
		t.until = u
	}
}

// ok eases the throttle once a request succeeds after the pause.
func (t *throttle) ok() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.level > 0 && time.Now().After(t.until) {
		t.level--
	}
}

// wait is how long a request must still wait before it starts.
func (t *throttle) wait() time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	return time.Until(t.until)
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
