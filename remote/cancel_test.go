package remote

import (
	"bytes"
	"context"
	"errors"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/drover-etl/drover/executor"
	"github.com/drover-etl/drover/task"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startHolding serves an executor that holds every task until it is
// cancelled (its chaos delay is far longer than any test).
func startHolding(t *testing.T, name string) (*Server, string, *syncBuffer) {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewServer(&executor.Runtime{Name: name, TempDir: t.TempDir(), Delay: time.Hour}, 2, testServerAuth(t))
	if err != nil {
		t.Fatal(err)
	}
	log := &syncBuffer{}
	s.Log = log
	go s.Serve(lis)
	t.Cleanup(s.Stop)
	return s, lis.Addr().String(), log
}

func newTestPool(t *testing.T, addrs ...string) *Pool {
	t.Helper()
	pool := NewPool(2)
	pool.Auth = testClientAuth(t)
	t.Cleanup(func() { pool.Close() })
	if err := pool.Set(addrs); err != nil {
		t.Fatal(err)
	}
	return pool
}

// waitRunning waits until one of servers reports attempt id running and
// returns that server's index.
func waitRunning(t *testing.T, id task.ID, servers ...*Server) int {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		for i, s := range servers {
			if slices.Contains(s.status().Running, id) {
				return i
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("attempt %s never started", id)
	return -1
}

type runResult struct {
	res *task.Result
	err error
}

func runAsync(ctx context.Context, pool *Pool, id task.ID) <-chan runResult {
	ch := make(chan runResult, 1)
	go func() {
		res, err := pool.Run(ctx, &task.Spec{ID: id})
		ch <- runResult{res, err}
	}()
	return ch
}

// TestCancelledAttemptStopsOnItsExecutor: when the driver gives up on an
// attempt, the pool calls Cancel with the attempt's ID and returns only
// once the executor has stopped the task.
func TestCancelledAttemptStopsOnItsExecutor(t *testing.T) {
	s, addr, log := startHolding(t, "e1")
	pool := newTestPool(t, addr)
	id := task.ID{Stage: 2, Partition: 3, Attempt: 1}
	ctx, cancel := context.WithCancel(context.Background())
	done := runAsync(ctx, pool, id)
	waitRunning(t, id, s)
	cancel()
	r := <-done
	if !errors.Is(r.err, context.Canceled) {
		t.Fatalf("Run after cancel: %v, want context.Canceled", r.err)
	}
	if !strings.Contains(log.String(), "task 2.3.1 cancelled by the driver") {
		t.Errorf("the executor did not hear Cancel; its log:\n%s", log.String())
	}
	if running := s.status().Running; len(running) != 0 {
		t.Errorf("the executor still runs %v after Run returned", running)
	}
	if busy := pool.Busy(); len(busy) != 0 {
		t.Errorf("the pool still counts a slot taken on %v", busy)
	}
}

// TestSpeculativeCopyGoesToAnotherExecutor: a copy never shares the
// original attempt's executor; with no other executor free it fails at
// once with ErrNoSpareExecutor, even though the original's has a slot.
func TestSpeculativeCopyGoesToAnotherExecutor(t *testing.T) {
	s1, a1, _ := startHolding(t, "e1")
	s2, a2, _ := startHolding(t, "e2")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	pool := newTestPool(t, a1, a2)
	orig := task.ID{Stage: 1, Partition: 0, Attempt: 0}
	done := []<-chan runResult{runAsync(ctx, pool, orig)}
	on := waitRunning(t, orig, s1, s2)
	cp := task.ID{Stage: 1, Partition: 0, Attempt: 1}
	done = append(done, runAsync(task.WithSpeculative(ctx, orig), pool, cp))
	if copyOn := waitRunning(t, cp, s1, s2); copyOn == on {
		t.Fatalf("the copy runs on executor %d, like the original", copyOn)
	}

	single := newTestPool(t, a1)
	orig2 := task.ID{Stage: 3, Partition: 0, Attempt: 0}
	done = append(done, runAsync(ctx, single, orig2))
	waitRunning(t, orig2, s1)
	_, err := single.Run(task.WithSpeculative(ctx, orig2), &task.Spec{ID: task.ID{Stage: 3, Partition: 0, Attempt: 1}})
	if !errors.Is(err, task.ErrNoSpareExecutor) {
		t.Fatalf("copy with no other executor: %v, want ErrNoSpareExecutor", err)
	}
	cancel()
	for _, d := range done {
		<-d
	}
}
