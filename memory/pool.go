package memory

import (
	"fmt"
	"sync"
)

// Pool is a byte budget shared by the consumers registered with it.
type Pool struct {
	limit int64

	mu          sync.Mutex
	unspillable int64 // bytes held by unspillable consumers
	spillable   int64 // bytes held by spillable consumers
	nSpillable  int   // registered spillable consumers
}

// NewPool returns a pool of limit bytes (limit ≤ 0: unlimited).
func NewPool(limit int64) *Pool {
	return &Pool{limit: limit}
}

// Limit is the pool's size in bytes (≤ 0: unlimited).
func (p *Pool) Limit() int64 { return p.limit }

// Held is the number of bytes reserved now.
func (p *Pool) Held() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.unspillable + p.spillable
}

// Consumer registers a holder of memory. Spillable consumers can give
// memory back by spilling, so they share what unspillable ones leave.
// name says who holds it in errors ("hash aggregate", "hash join build").
func (p *Pool) Consumer(name string, spillable bool) *Reservation {
	p.mu.Lock()
	defer p.mu.Unlock()
	if spillable {
		p.nSpillable++
	}
	return &Reservation{pool: p, name: name, spillable: spillable}
}

// Reservation is one consumer's bytes in a pool. It is not safe for
// concurrent use: each operator owns its own.
type Reservation struct {
	pool      *Pool
	name      string
	spillable bool
	size      int64
	closed    bool
}

// Name says who holds the reservation.
func (r *Reservation) Name() string { return r.name }

// Size is the number of bytes held.
func (r *Reservation) Size() int64 { return r.size }

// TryGrow reserves n more bytes, or reserves nothing and returns an error
// wrapping ErrExhausted when they do not fit the consumer's share.
func (r *Reservation) TryGrow(n int64) error {
	if n <= 0 {
		return nil
	}
	p := r.pool
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.limit > 0 {
		if avail := r.availableLocked(); n > avail {
			return fmt.Errorf("%s: %d more bytes refused (holds %d, may hold %d of a %d-byte budget): %w",
				r.name, n, r.size, r.size+max(avail, 0), p.limit, ErrExhausted)
		}
	}
	r.addLocked(n)
	return nil
}

// Share is the most this consumer may ever hold while the others hold
// nothing they cannot give back: the whole limit for an unspillable
// consumer, an even part of it for a spillable one (< 0: unlimited). An
// operator whose least possible state fits its share may Grow past what
// TryGrow refuses at the moment (the others spill to make room); one
// whose state does not fit its share must fail.
func (r *Reservation) Share() int64 {
	p := r.pool
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.limit <= 0 {
		return -1
	}
	if !r.spillable {
		return p.limit
	}
	return p.limit / int64(max(p.nSpillable, 1))
}

// Grow reserves n more bytes without asking: for memory already in use
// that cannot be given back (one input batch). It can take the pool over
// its limit, which later TryGrow calls then pay for.
func (r *Reservation) Grow(n int64) {
	r.pool.mu.Lock()
	defer r.pool.mu.Unlock()
	r.addLocked(n)
}

// Shrink gives back n bytes (at most what is held).
func (r *Reservation) Shrink(n int64) {
	r.pool.mu.Lock()
	defer r.pool.mu.Unlock()
	r.addLocked(-min(n, r.size))
}

// Resize sets the reservation to n bytes, asking only for growth.
func (r *Reservation) Resize(n int64) error {
	if n >= r.size {
		return r.TryGrow(n - r.size)
	}
	r.Shrink(r.size - n)
	return nil
}

// Free gives back everything and unregisters the consumer. Safe to call
// more than once.
func (r *Reservation) Free() {
	p := r.pool
	p.mu.Lock()
	defer p.mu.Unlock()
	if r.closed {
		return
	}
	r.addLocked(-r.size)
	r.closed = true
	if r.spillable {
		p.nSpillable--
	}
}

func (r *Reservation) addLocked(n int64) {
	r.size += n
	if r.spillable {
		r.pool.spillable += n
	} else {
		r.pool.unspillable += n
	}
}

// availableLocked is how many more bytes r may take: unspillable
// consumers get whatever is free; spillable ones their fair share of what
// unspillable consumers leave, and never more than is free.
func (r *Reservation) availableLocked() int64 {
	p := r.pool
	free := p.limit - p.unspillable - p.spillable
	if !r.spillable {
		return free
	}
	share := (p.limit - p.unspillable) / int64(max(p.nSpillable, 1))
	return min(share-r.size, free)
}
