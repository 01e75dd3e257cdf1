package operator

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/format/rtfilter"
	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/task"
)

// BroadcastCache shares the hash tables built over broadcast exchanges
// between the tasks of one process: the first probe task to need a table
// reads the broadcast and builds it while the others wait, then all of
// them probe the same read-only table. An entry is keyed by the exact map
// outputs it was built from (a recomputed map output, a new run: a new
// key) and is reserved from the process's memory pool. When its last
// user closes it stays for BroadcastIdle, for the stage's next tasks on
// this executor, unless a new table is built first (a later stage, or
// another run): then idle tables are freed. Its zero value is ready.
type BroadcastCache struct {
	mu      sync.Mutex
	entries map[string]*sharedBuild
	builds  atomic.Int64
}

// BroadcastIdle is how long a table no task uses is kept.
const BroadcastIdle = 10 * time.Second

// Builds counts the tables built (shared or not shareable).
func (c *BroadcastCache) Builds() int64 { return c.builds.Load() }

// sharedBuild is one broadcast's table. Once ready is closed it is
// read-only; refs counts the joins using it.
type sharedBuild struct {
	key   string
	ready chan struct{}
	refs  int
	err   error // the build failed: every waiter fails alike
	// notShared: the pool refused the whole table; each task builds (and
	// maybe spills) its own instead.
	notShared bool
	cols      []arrow.Array
	n         int
	table     *joinTable
	res       *memory.Reservation
	idle      *time.Timer // running while refs is 0
	// rtSet is the table's runtime filter set, made by its first user.
	rtOnce sync.Once
	rtSet  *rtfilter.Set
}

// runtimeSet is the table's runtime filter set, made once by mk.
func (e *sharedBuild) runtimeSet(mk func() *rtfilter.Set) *rtfilter.Set {
	e.rtOnce.Do(func() { e.rtSet = mk() })
	return e.rtSet
}

// errNotShared is a build the pool could not hold whole.
var errNotShared = errors.New("broadcast table does not fit the memory pool")

// broadcastKey names the table a hash join builds over a broadcast stage
// read: the map outputs read and the build keys.
func broadcastKey(n *physical.Node, env *Env) (string, error) {
	h := fnv.New128a()
	fmt.Fprintf(h, "stage %d\n", n.Inputs[1].Read.Stage)
	if rr, ok := env.Reads[n.Inputs[1].Read.Stage]; ok { // an adaptive task's range
		fmt.Fprintf(h, "reads %+v\n", rr)
	}
	for _, out := range env.Inputs[n.Inputs[1].Read.Stage] {
		fmt.Fprintf(h, "%s\n", out.URL)
	}
	js, err := json.Marshal([]any{n.Join.RightKeys, n.Join.NullSafe})
	if err != nil {
		return "", err
	}
	h.Write(js)
	return string(h.Sum(nil)), nil
}

// acquire returns the shared table for key, building it with build when
// absent; nil (and no error) when it cannot be shared.
func (c *BroadcastCache) acquire(ctx context.Context, key string, build func(*sharedBuild) error) (*sharedBuild, error) {
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[string]*sharedBuild{}
	}
	e := c.entries[key]
	if e != nil {
		e.refs++
		if e.idle != nil {
			e.idle.Stop() // should it fire anyway, evict sees refs > 0
			e.idle = nil
		}
		c.mu.Unlock()
		select {
		case <-e.ready:
		case <-ctx.Done():
			go func() { <-e.ready; c.release(e) }() // the builder finishes alone
			return nil, ctx.Err()
		}
		return c.settled(e)
	}
	e = &sharedBuild{key: key, ready: make(chan struct{}), refs: 1}
	idle := c.takeIdleLocked()
	c.entries[key] = e
	c.mu.Unlock()
	for _, old := range idle {
		old.free()
	}
	c.builds.Add(1)
	err := build(e)
	if errors.Is(err, errNotShared) {
		e.notShared = true
	} else {
		e.err = err
	}
	if e.err != nil || e.notShared {
		// Later tasks try again rather than inherit a failure.
		c.mu.Lock()
		delete(c.entries, key)
		c.mu.Unlock()
	}
	close(e.ready)
	return c.settled(e)
}

// settled turns a ready entry into acquire's answer, dropping the
// reference when there is nothing to share.
func (c *BroadcastCache) settled(e *sharedBuild) (*sharedBuild, error) {
	if e.err == nil && !e.notShared {
		return e, nil
	}
	c.release(e)
	return nil, e.err
}

// release drops one reference; the last one leaves the table idle (or
// frees it, when it is no longer in the cache).
func (c *BroadcastCache) release(e *sharedBuild) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e.refs--; e.refs > 0 {
		return
	}
	if c.entries[e.key] != e {
		e.free()
		return
	}
	e.idle = time.AfterFunc(BroadcastIdle, func() { c.evict(e) })
}

// evict frees e if it is still idle and cached.
func (c *BroadcastCache) evict(e *sharedBuild) {
	c.mu.Lock()
	gone := e.refs == 0 && c.entries[e.key] == e
	if gone {
		delete(c.entries, e.key)
	}
	c.mu.Unlock()
	if gone {
		e.free()
	}
}

// EvictIdle frees every table no task uses now.
func (c *BroadcastCache) EvictIdle() {
	c.mu.Lock()
	idle := c.takeIdleLocked()
	c.mu.Unlock()
	for _, e := range idle {
		e.free()
	}
}

// takeIdleLocked removes the idle entries from the cache.
func (c *BroadcastCache) takeIdleLocked() []*sharedBuild {
	var idle []*sharedBuild
	for k, e := range c.entries {
		if e.refs == 0 {
			if e.idle != nil {
				e.idle.Stop()
			}
			delete(c.entries, k)
			idle = append(idle, e)
		}
	}
	return idle
}

// free gives back the table's memory.
func (e *sharedBuild) free() {
	if e.res != nil {
		releaseAll(e.cols)
		e.cols, e.table = nil, nil
		e.res.Free()
		e.res = nil
	}
}

// shareable says whether join n may use a shared broadcast table: a hash
// join straight over a broadcast stage read, in a process whose tasks
// share one memory pool and cache, that never emits unmatched build rows
// (those would need per-task state over the table).
func shareable(n *physical.Node, env *Env) bool {
	b := n.Inputs[1]
	return env.Broadcasts != nil && env.Pool != nil && n.Op == physical.OpHashJoin &&
		b.Op == physical.OpStageRead && b.Read.Kind == physical.PartBroadcast &&
		!n.Join.Type.KeepsUnmatchedRight()
}

// loadBuild loads j's build side: the executor's shared table when the
// join may use one, else j's own.
func (j *joinOp) loadBuild(ctx context.Context) error {
	if j.sharedNode != nil {
		ok, err := j.loadShared(ctx, j.sharedNode)
		if ok || err != nil {
			j.loaded = true
			return err
		}
	}
	return j.load(ctx)
}

// releaseShared gives back j's reference to a shared table.
func (j *joinOp) releaseShared() {
	if j.shared != nil {
		j.build = nil // the cache's, not j's
		j.env.Broadcasts.release(j.shared)
		j.shared = nil
	}
}

// loadShared points j at the shared table, building it if first; false
// when it cannot be shared and j must load its own.
func (j *joinOp) loadShared(ctx context.Context, n *physical.Node) (bool, error) {
	key, err := broadcastKey(n, j.env)
	if err != nil {
		return false, task.AsFatal(err)
	}
	e, err := j.env.Broadcasts.acquire(ctx, key, func(e *sharedBuild) error {
		// The builder's own read counts as its build side's rows; the
		// tasks that only probe read nothing.
		sr, err := newStageRead(n.Inputs[1], j.env, 0)
		if err != nil {
			return err
		}
		in := j.env.measure(n.Inputs[1], sr)
		defer in.Close()
		return j.buildShared(ctx, e, in)
	})
	if err != nil || e == nil {
		return false, err
	}
	j.shared = e
	j.build, j.buildN = e.cols, e.n
	j.matcher.(*hashMatcher).table = e.table
	return true, nil
}

// buildShared reads the broadcast whole into a reservation of its own and
// indexes it with j's matcher; errNotShared when the pool refuses.
func (j *joinOp) buildShared(ctx context.Context, e *sharedBuild, in batch.Reader) error {
	res := j.env.Pool.Consumer("broadcast hash table", false)
	recs, err := readReserved(ctx, in, res)
	if err == nil {
		err = res.TryGrow(indexRoom(recs, countRows(recs)))
	}
	if err != nil {
		releaseRecs(recs)
		res.Free()
		if errors.Is(err, memory.ErrExhausted) {
			return errNotShared
		}
		return err
	}
	cols, n, err := concatOwned(in.Schema(), recs)
	if err != nil {
		res.Free()
		return task.AsFatal(err)
	}
	m := j.matcher.(*hashMatcher)
	if err := m.load(ctx, cols, n); err != nil {
		releaseAll(cols)
		res.Free()
		return err
	}
	held := m.table.bytes()
	for _, c := range cols {
		held += batch.ArrayBytes(c)
	}
	if held > res.Size() {
		res.Grow(held - res.Size()) // in memory already: account for it
	} else {
		res.Shrink(res.Size() - held)
	}
	e.cols, e.n, e.table, e.res = cols, n, m.table, res
	return nil
}

// readReserved reads in to the end, reserving each batch from res.
func readReserved(ctx context.Context, in batch.Reader, res *memory.Reservation) ([]arrow.RecordBatch, error) {
	var recs []arrow.RecordBatch
	for {
		rec, err := in.Next(ctx)
		if err == io.EOF {
			return recs, nil
		}
		if err == nil {
			recs = append(recs, rec)
			err = res.TryGrow(recordBytes(rec))
		}
		if err != nil {
			return recs, err
		}
	}
}
