package operator

import (
	"context"
	"errors"
	"sync"

	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/shuffle"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/task"
)

// DefaultFetchConcurrency is how many ranged GETs a reducer keeps in
// flight when Env sets none.
const DefaultFetchConcurrency = 8

// DefaultFetchBytes caps the bytes a reducer holds fetched but not yet
// decoded; each piece is reserved from the memory pool while it is.
const DefaultFetchBytes = 64 << 20

// fetchPoolShare bounds the window to this fraction of a limited pool,
// so that prefetching never squeezes the task slots' sorts and
// aggregations (which spill) much.
const fetchPoolShare = 16

// fetchItem is one map output's share of the task's partition.
type fetchItem struct {
	mapIdx int
	part   int
	out    task.MapOutput
	off, n int64
	// stream: read by range as it is decoded, through the object's
	// footer (layout unknown, bigger than the window, or refused by the
	// pool with nothing else in flight).
	stream bool
}

// pendingFetch is a fetch started in map order; done delivers its bytes.
type pendingFetch struct {
	item fetchItem
	done chan fetchResult
}

type fetchResult struct {
	buf []byte
	err error
}

// fetcher reads a partition's pieces from many map outputs with up to
// conc ranged GETs at once and at most window bytes fetched but not yet
// decoded, each piece reserved from the pool until it is decoded. It
// hands them over in map order, so the reducer's input order (and a
// sort's tie order) does not depend on which GET finished first.
type fetcher struct {
	stage  int
	ctx    context.Context
	cancel context.CancelFunc
	order  chan pendingFetch
	window int64

	mu       sync.Mutex
	freed    *sync.Cond // signalled when bytes in flight are released
	res      *memory.Reservation
	inFlight int64
}

func newFetcher(ctx context.Context, stage int, items []fetchItem, env *Env) *fetcher {
	conc := env.FetchConcurrency
	if conc <= 0 {
		conc = DefaultFetchConcurrency
	}
	f := &fetcher{stage: stage, order: make(chan pendingFetch, conc)}
	f.freed = sync.NewCond(&f.mu)
	if conc > 1 {
		pool := env.MemoryPool()
		f.window = fetchWindow(pool.Limit())
		f.res = pool.Consumer("shuffle fetch", false)
	}
	for i := range items {
		items[i].stream = items[i].stream || items[i].n > f.window
	}
	f.ctx, f.cancel = context.WithCancel(ctx)
	go f.produce(items)
	return f
}

// fetchWindow is the most a fetcher holds in flight under a pool of limit
// bytes (≤ 0: unlimited).
func fetchWindow(limit int64) int64 {
	if limit > 0 {
		return min(DefaultFetchBytes, limit/fetchPoolShare)
	}
	return DefaultFetchBytes
}

// produce starts the fetches in map order, each once the window and the
// pool admit it; the order channel's capacity bounds how many run at once.
func (f *fetcher) produce(items []fetchItem) {
	defer close(f.order)
	for _, it := range items {
		if !it.stream && !f.admit(it.n) {
			it.stream = true
		}
		if f.ctx.Err() != nil {
			return
		}
		p := pendingFetch{item: it, done: make(chan fetchResult, 1)}
		select {
		case f.order <- p:
		case <-f.ctx.Done():
			f.release(it)
			return
		}
		if !it.stream {
			go func() {
				buf, err := f.fetch(it)
				p.done <- fetchResult{buf, err}
			}()
		}
	}
}

// admit reserves n bytes in flight, waiting while earlier pieces hold the
// window; false when the pool refuses with nothing in flight (the piece
// is then streamed, as a reducer without a window would).
func (f *fetcher) admit(n int64) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for f.ctx.Err() == nil {
		if f.inFlight+n <= f.window && f.res.TryGrow(n) == nil {
			f.inFlight += n
			return true
		}
		if f.inFlight == 0 {
			return false
		}
		f.freed.Wait()
	}
	return false
}

func (f *fetcher) fetch(it fetchItem) ([]byte, error) {
	loc, err := storage.Resolve(f.ctx, it.out.URL)
	if err != nil {
		return nil, task.AsFatal(err)
	}
	buf, err := shuffle.FetchPartition(f.ctx, loc, it.off, it.n)
	return buf, fetchErr(f.stage, it.mapIdx, err)
}

// fetchErr makes a missing map output a fetch failure naming the map
// task, so the driver re-runs it.
func fetchErr(stage, mapIdx int, err error) error {
	if err != nil && errors.Is(err, storage.ErrNotExist) {
		return task.FetchFailure(stage, mapIdx, err)
	}
	return err
}

// next is the next piece in map order (ok false: none left).
func (f *fetcher) next(ctx context.Context) (p pendingFetch, ok bool, err error) {
	select {
	case p, ok = <-f.order:
		return p, ok, nil
	case <-ctx.Done():
		return p, false, ctx.Err()
	}
}

// release gives a decoded piece's bytes back to the window and the pool.
func (f *fetcher) release(it fetchItem) {
	if it.stream {
		return
	}
	f.mu.Lock()
	f.res.Shrink(it.n)
	f.inFlight -= it.n
	f.freed.Broadcast()
	f.mu.Unlock()
}

// close stops the fetches and gives everything back to the pool.
func (f *fetcher) close() {
	f.cancel()
	f.mu.Lock()
	f.freed.Broadcast() // wake a producer waiting in admit
	f.mu.Unlock()
	for range f.order {
	}
	if f.res != nil {
		f.mu.Lock()
		f.res.Free()
		f.mu.Unlock()
	}
}
