package remote

import (
	"context"
	"testing"
	"time"
)

// An executor whose driver stops calling gives up after the grace period;
// one whose driver keeps renewing does not. Unauthorized calls (someone
// without the run's token) renew nothing.
func TestLeaseExpiresWithoutDriver(t *testing.T) {
	const grace = 3 * time.Second
	s, addr := startServer(t, "lease")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	gone := s.DriverGone(ctx, grace)

	p := NewPool(2)
	p.Auth = testClientAuth(t)
	if err := p.Set([]string{addr}); err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	renewing, stopRenew := context.WithCancel(ctx)
	go p.KeepAlive(renewing, 100*time.Millisecond)
	// Renewed for twice the grace period: the lease must hold.
	select {
	case <-gone:
		t.Fatal("the lease expired while the driver was renewing it")
	case <-time.After(2 * grace):
	}
	stopRenew()
	bad := testClientAuth(t)
	bad.Token = "not-the-token"
	intruder, err := Dial(addr, bad)
	if err != nil {
		t.Fatal(err)
	}
	defer intruder.Close()
	deadline := time.After(time.Minute)
	for {
		intruder.Status(ctx) // rejected: must not renew
		select {
		case <-gone:
			return
		case <-deadline:
			t.Fatal("the lease never expired after the driver went silent")
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func TestLeaseDisabled(t *testing.T) {
	s, _ := startServer(t, "nolease")
	select {
	case <-s.DriverGone(context.Background(), 0):
		t.Fatal("a disabled lease expired")
	default:
	}
}
