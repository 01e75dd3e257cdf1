package remote

import (
	"context"
	"sync"
	"time"
)

// An executor holds a lease on its driver: every call the driver makes
// (tasks, and the Status heartbeat Pool.Renew sends to idle executors)
// renews it. An executor whose driver has been silent for longer than its
// grace period — the driver was killed, or its host is gone — stops, so a
// crashed run leaves no executors behind. A driver that resumes the run
// in time adopts the executors simply by calling them.

// DefaultRenewInterval is how often a driver renews its executors' lease.
const DefaultRenewInterval = 10 * time.Second

// touch records a call from the driver.
func (s *Server) touch() { s.contact.Store(time.Now().UnixNano()) }

// silence is how long the driver has not called, counted from start.
func (s *Server) silence() time.Duration {
	return time.Since(time.Unix(0, s.contact.Load()))
}

// DriverGone returns a channel closed once no driver call has come for
// grace while no task runs (a running task's call is contact enough; a
// dead driver's calls are cut by keepalives, ending the task). grace <= 0
// disables the lease; the channel never closes.
func (s *Server) DriverGone(ctx context.Context, grace time.Duration) <-chan struct{} {
	gone := make(chan struct{})
	if grace <= 0 {
		return gone
	}
	go func() {
		tick := time.NewTicker(min(grace/4, time.Second))
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			if s.busy() {
				s.touch()
			} else if s.silence() > grace {
				close(gone)
				return
			}
		}
	}()
	return gone
}

func (s *Server) busy() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.running) > 0
}

// Renew sends the Status heartbeat to every member, renewing the lease of
// executors that have no task at the moment.
func (p *Pool) Renew(ctx context.Context) {
	p.mu.Lock()
	clients := make([]*Client, 0, len(p.members))
	for _, m := range p.members {
		if !m.lost {
			clients = append(clients, m.c)
		}
	}
	p.mu.Unlock()
	var wg sync.WaitGroup
	for _, c := range clients {
		wg.Go(func() {
			cctx, cancel := context.WithTimeout(ctx, DefaultRenewInterval)
			defer cancel()
			c.Status(cctx) // a failure is the pool's business elsewhere
		})
	}
	wg.Wait()
}

// KeepAlive renews the members' lease every interval until ctx ends.
func (p *Pool) KeepAlive(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		interval = DefaultRenewInterval
	}
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			p.Renew(ctx)
		}
	}
}
