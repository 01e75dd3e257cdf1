package runlease

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/drover-etl/drover/storage"
)

// DefaultRenew is how often a live run renews its record.
const DefaultRenew = 15 * time.Second

// Lease keeps a run's record fresh until Stop.
type Lease struct {
	dir      storage.Location
	rec      Record
	attempts func() []Attempts
	stop     context.CancelFunc
	done     chan struct{}
	mu       sync.Mutex
}

// Start writes the run's record into its shuffle directory (dir) and
// renews it every interval (DefaultRenew when 0); attempts, if set, is
// asked for the current attempt counts at each renewal. Failing to write
// the first record fails the run: without it a crash could not be
// cleaned up by `drover gc`.
func Start(ctx context.Context, dir string, rec Record, interval time.Duration, attempts func() []Attempts) (*Lease, error) {
	loc, err := storage.Resolve(ctx, dir)
	if err != nil {
		return nil, err
	}
	host, _ := os.Hostname()
	now := time.Now().UTC()
	rec.Version, rec.Host, rec.PID, rec.Started, rec.Renewed = 1, host, os.Getpid(), now, now
	l := &Lease{dir: loc, rec: rec, attempts: attempts, done: make(chan struct{})}
	if err := write(ctx, loc, &l.rec); err != nil {
		return nil, fmt.Errorf("write run record %s: %w", loc.Join(RecordName).URL(), err)
	}
	if interval <= 0 {
		interval = DefaultRenew
	}
	rctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	l.stop = stop
	go l.renew(rctx, interval)
	return l, nil
}

func (l *Lease) renew(ctx context.Context, interval time.Duration) {
	defer close(l.done)
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		l.mu.Lock()
		l.rec.Renewed = time.Now().UTC()
		if l.attempts != nil {
			l.rec.Attempts = l.attempts()
		}
		rec := l.rec
		l.mu.Unlock()
		// A failed renewal is retried at the next tick; gc waits far
		// longer than one interval before it calls a run crashed.
		write(ctx, l.dir, &rec)
	}
}

// Stop ends the renewals (the record is removed with the run's shuffle
// prefix). It waits for a renewal in flight, so none lands after it.
func (l *Lease) Stop() {
	if l == nil {
		return
	}
	l.stop()
	<-l.done
}
