package mapstatus

import (
	"context"
	"sync"

	"github.com/drover-etl/drover/task"
)

// DefaultCacheEntries is how many map status objects a Cache keeps.
const DefaultCacheEntries = 16

// Cache holds the map status objects an executor's tasks read, so each is
// downloaded once per executor however many reduce tasks it runs: tasks
// asking for one being loaded wait for that load. Objects are immutable
// (a new version, a new URL), so entries never go stale; the least
// recently used goes when more than Max are held. Its zero value is ready.
type Cache struct {
	// Max bounds the entries (0: DefaultCacheEntries).
	Max int

	mu      sync.Mutex
	entries map[string]*cacheEntry
	tick    int64
}

type cacheEntry struct {
	ready chan struct{}
	outs  []task.MapOutput
	err   error
	used  int64
}

// Get returns the map outputs the object at ref.URL lists.
func (c *Cache) Get(ctx context.Context, ref task.InputRef) ([]task.MapOutput, error) {
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[string]*cacheEntry{}
	}
	c.tick++
	e := c.entries[ref.URL]
	if e != nil {
		e.used = c.tick
		c.mu.Unlock()
	} else {
		e = &cacheEntry{ready: make(chan struct{}), used: c.tick}
		c.entries[ref.URL] = e
		c.evictLocked()
		c.mu.Unlock()
		e.outs, e.err = Read(ctx, ref.URL, ref.Maps)
		close(e.ready)
		if e.err != nil {
			c.drop(ref.URL, e) // the next task tries again
		}
	}
	select {
	case <-e.ready:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return e.outs, e.err
}

func (c *Cache) drop(url string, e *cacheEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries[url] == e {
		delete(c.entries, url)
	}
}

// evictLocked drops the least recently used entries beyond Max.
func (c *Cache) evictLocked() {
	limit := c.Max
	if limit <= 0 {
		limit = DefaultCacheEntries
	}
	for len(c.entries) > limit {
		var oldest string
		var at int64 = -1
		for url, e := range c.entries {
			if at < 0 || e.used < at {
				oldest, at = url, e.used
			}
		}
		delete(c.entries, oldest)
	}
}

// Resolve returns spec's inputs: those it carries, plus those it names
// by reference, read through the cache.
func (c *Cache) Resolve(ctx context.Context, spec *task.Spec) (map[int][]task.MapOutput, error) {
	if len(spec.InputIndex) == 0 {
		return spec.Inputs, nil
	}
	in := make(map[int][]task.MapOutput, len(spec.Inputs)+len(spec.InputIndex))
	for st, outs := range spec.Inputs {
		in[st] = outs
	}
	for st, ref := range spec.InputIndex {
		outs, err := c.Get(ctx, ref)
		if err != nil {
			return nil, err
		}
		in[st] = outs
	}
	return in, nil
}
