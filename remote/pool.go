package remote

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/drover-etl/drover/task"
)

// Pool is a task.Executor over a changing set of remote executors. The
// membership comes from outside (Consul health queries in cluster mode);
// Run waits for a free slot on any live member, so executors that appear
// later are used as they come.
type Pool struct {
	mu      sync.Mutex
	members map[string]*member
	// lost remembers when executors failed at the transport level. Consul
	// keeps listing a dead one until its health check fails, so Set does
	// not re-admit it for LostCooldown (a driver-side network blip must
	// not bar a healthy executor for good); an address Consul drops is
	// forgotten.
	lost     map[string]time.Time
	slotsPer int
	expected int
	wake     chan struct{}
	closed   bool
	// NoExecutorTimeout bounds how long Run waits while the pool has no
	// live executor at all (all lost, none replaced yet); then the task
	// fails as retryable, so a cluster that never recovers fails the job
	// instead of hanging it. Default 2 minutes.
	NoExecutorTimeout time.Duration
	// Auth is the run's token and client TLS presented to executors.
	Auth ClientAuth
	// LostCooldown is how long a lost executor stays out (default 30s).
	LostCooldown time.Duration
	// Explain, when set, is asked why the executor at addr was lost while
	// running a task started at since. It returns an error wrapping
	// task.ErrOOMKilled when the cluster manager killed it for its memory
	// (the task then fails an attempt), nil for an ordinary loss.
	Explain func(ctx context.Context, addr string, since time.Time) error
	// CancelWait bounds how long a cancelled attempt's slot stays taken
	// while its executor stops the task after the Cancel call (default 5s).
	CancelWait time.Duration
	// where maps each running attempt to its executor, so a speculative
	// copy goes elsewhere.
	where map[task.ID]string
}

type member struct {
	c       *Client
	running int
	lost    bool
}

var _ task.Executor = (*Pool)(nil)

// NewPool returns an empty pool whose executors each run slotsPer tasks.
func NewPool(slotsPer int) *Pool {
	return &Pool{members: map[string]*member{}, lost: map[string]time.Time{}, slotsPer: max(slotsPer, 1), wake: make(chan struct{}), where: map[task.ID]string{}}
}

// SetExpected tells the pool how many executors to plan for (Slots).
func (p *Pool) SetExpected(n int) {
	p.mu.Lock()
	p.expected = n
	p.mu.Unlock()
}

// Set replaces the membership with addrs (host:port), keeping connections
// to executors that stay.
func (p *Pool) Set(addrs []string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	keep := map[string]bool{}
	for _, a := range addrs {
		keep[a] = true
		if _, ok := p.members[a]; ok {
			continue
		}
		if at, ok := p.lost[a]; ok && time.Since(at) < p.lostCooldown() {
			continue
		}
		delete(p.lost, a)
		c, err := Dial(a, p.Auth)
		if err != nil {
			return err
		}
		p.members[a] = &member{c: c}
	}
	for a := range p.lost {
		if !keep[a] {
			delete(p.lost, a)
		}
	}
	for a, m := range p.members {
		if !keep[a] {
			m.lost = true
			if m.running == 0 {
				m.c.Close()
				delete(p.members, a)
			}
		}
	}
	p.signal()
	return nil
}

// Live lists the members currently accepting tasks, sorted.
func (p *Pool) Live() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for a, m := range p.members {
		if !m.lost {
			out = append(out, a)
		}
	}
	sort.Strings(out)
	return out
}

// Busy lists live members with tasks in flight, sorted.
func (p *Pool) Busy() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for a, m := range p.members {
		if !m.lost && m.running > 0 {
			out = append(out, a)
		}
	}
	sort.Strings(out)
	return out
}

// signal wakes every waiter (membership or load changed). Callers hold mu.
func (p *Pool) signal() {
	close(p.wake)
	p.wake = make(chan struct{})
}

// Slots is the number of tasks the driver should keep in flight.
func (p *Pool) Slots() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := max(p.expected, len(p.members), 1)
	return n * p.slotsPer
}

// Run sends the task to the least-loaded live executor with a free slot.
// An executor that fails at the transport level is dropped from the pool
// (Consul will say the same soon) and the error is retryable.
// A speculative copy (task.WithSpeculative) goes to another executor than
// the attempt it copies, or fails at once with task.ErrNoSpareExecutor.
func (p *Pool) Run(ctx context.Context, spec *task.Spec) (*task.Result, error) {
	addr, m, err := p.acquireFor(ctx, spec.ID)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	res, err := p.runOn(ctx, m.c, spec)
	lost := errors.Is(err, ErrExecutorLost)
	p.release(addr, m, lost, spec.ID)
	if lost && p.Explain != nil && ctx.Err() == nil {
		if why := p.Explain(ctx, addr, start); why != nil {
			// Not wrapping err: the loss must not look like ErrExecutorLost,
			// which the scheduler retries without counting.
			return nil, task.AsRetryable(fmt.Errorf("%w while running stage %d task %d; raise the executors' memory (--executor-memory) or lower their --executor-slots (%v)",
				why, spec.ID.Stage, spec.ID.Partition, err))
		}
	}
	if err != nil {
		return nil, task.OnExecutor(addr, err)
	}
	res.Metrics.Executor = addr
	return res, nil
}

// acquireFor takes a slot for attempt id and remembers where it runs.
func (p *Pool) acquireFor(ctx context.Context, id task.ID) (string, *member, error) {
	var addr string
	var m *member
	var err error
	if of, ok := task.SpeculativeOf(ctx); ok {
		addr, m, err = p.acquireOther(of)
	} else {
		addr, m, err = p.acquire(ctx)
	}
	if err == nil {
		p.mu.Lock()
		p.where[id] = addr
		p.mu.Unlock()
	}
	return addr, m, err
}

// acquireOther takes a free slot on any executor but the one running
// attempt of, without waiting: a copy must not queue behind real work.
func (p *Pool) acquireOther(of task.ID) (string, *member, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return "", nil, fmt.Errorf("executor pool closed")
	}
	avoid := p.where[of]
	addr, m := p.pick(avoid)
	if m == nil {
		return "", nil, task.AsRetryable(fmt.Errorf("%w (task %s runs on %s)", task.ErrNoSpareExecutor, of, avoid))
	}
	m.running++
	return addr, m, nil
}

// runOn runs spec on c. The call is not tied to ctx: when ctx ends first
// (the job stopped, a faster copy won, the attempt timed out), the
// executor is told to stop the attempt through Cancel, and the slot is
// given back once it has (or after CancelWait), so the pool never counts
// a slot free whose task still runs.
func (p *Pool) runOn(ctx context.Context, c *Client, spec *task.Spec) (*task.Result, error) {
	call, stop := context.WithCancel(context.WithoutCancel(ctx))
	defer stop()
	type reply struct {
		res *task.Result
		err error
	}
	done := make(chan reply, 1)
	go func() {
		res, err := c.Run(call, spec)
		done <- reply{res, err}
	}()
	select {
	case r := <-done:
		return r.res, r.err
	case <-ctx.Done():
	}
	wait, cancelWait := context.WithTimeout(call, p.cancelWait())
	defer cancelWait()
	if err := c.Cancel(wait, spec.ID); err != nil {
		stop() // the executor is unreachable: drop the call
	}
	select {
	case <-done:
	case <-wait.Done():
		stop()
		<-done
	}
	return nil, context.Cause(ctx)
}

func (p *Pool) cancelWait() time.Duration {
	if p.CancelWait > 0 {
		return p.CancelWait
	}
	return 5 * time.Second
}

func (p *Pool) acquire(ctx context.Context) (string, *member, error) {
	var empty <-chan time.Time // armed while the pool has no live member
	for {
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			return "", nil, fmt.Errorf("executor pool closed")
		}
		addr, m := p.pick("")
		if m != nil {
			m.running++
			p.mu.Unlock()
			return addr, m, nil
		}
		wake := p.wake
		none := p.liveCount() == 0
		p.mu.Unlock()
		if !none {
			empty = nil
		} else if empty == nil {
			empty = time.After(p.noExecutorTimeout())
		}
		select {
		case <-wake:
		case <-empty:
			return "", nil, task.AsRetryable(fmt.Errorf("%w for %s", ErrNoExecutors, p.noExecutorTimeout()))
		case <-ctx.Done():
			return "", nil, context.Cause(ctx)
		}
	}
}

func (p *Pool) lostCooldown() time.Duration {
	if p.LostCooldown > 0 {
		return p.LostCooldown
	}
	return 30 * time.Second
}

func (p *Pool) noExecutorTimeout() time.Duration {
	if p.NoExecutorTimeout > 0 {
		return p.NoExecutorTimeout
	}
	return 2 * time.Minute
}

// liveCount counts members accepting tasks. Callers hold mu.
func (p *Pool) liveCount() int {
	n := 0
	for _, m := range p.members {
		if !m.lost {
			n++
		}
	}
	return n
}

// pick returns the live member other than avoid with the fewest running
// tasks and a free slot. Callers hold mu.
func (p *Pool) pick(avoid string) (string, *member) {
	var best string
	var bm *member
	for a, m := range p.members {
		if m.lost || m.running >= p.slotsPer || a == avoid {
			continue
		}
		if bm == nil || m.running < bm.running || (m.running == bm.running && a < best) {
			best, bm = a, m
		}
	}
	return best, bm
}

func (p *Pool) release(addr string, m *member, lost bool, id task.ID) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.where, id)
	m.running--
	if lost {
		m.lost = true
		p.lost[addr] = time.Now()
	}
	if m.lost && m.running == 0 && p.members[addr] == m {
		m.c.Close()
		delete(p.members, addr)
	}
	p.signal()
}

// Shutdown asks every member to exit (best effort).
func (p *Pool) Shutdown(ctx context.Context) {
	p.mu.Lock()
	clients := make([]*Client, 0, len(p.members))
	for _, m := range p.members {
		clients = append(clients, m.c)
	}
	p.mu.Unlock()
	for _, c := range clients {
		c.Shutdown(ctx)
	}
}

// Close drops every connection.
func (p *Pool) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	for a, m := range p.members {
		m.c.Close()
		delete(p.members, a)
	}
	p.signal()
	return nil
}
