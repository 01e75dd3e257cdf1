package operator

import (
	"context"
	"errors"

	"golang.org/x/sync/semaphore"

	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/shuffle"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/task"
)

// DefaultFetchConcurrency is how many ranged GETs a reducer keeps in
// flight when Env sets none.
const DefaultFetchConcurrency = 8

// DefaultFetchBytes caps the fetched bytes a reducer holds undecoded; it
// is reserved from the memory pool (less when the pool refuses).
const DefaultFetchBytes = 64 << 20

// minFetchBytes is the smallest window worth reserving; below it the
// reducer streams one map output at a time, as it would with no pool.
const minFetchBytes = 1 << 20

// fetchItem is one map output's share of the task's partition.
type fetchItem struct {
	mapIdx int
	out    task.MapOutput
	off, n int64
	// stream: too big for the window (or layout unknown): opened when
	// its turn comes and read by range as it is decoded.
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
// decoded. It hands them over in map order, so the reducer's input order
// (and a sort's tie order) does not depend on which GET finished first.
type fetcher struct {
	stage  int
	cancel context.CancelFunc
	order  chan pendingFetch
	sem    *semaphore.Weighted
	window int64
	res    *memory.Reservation
}

func newFetcher(ctx context.Context, stage int, items []fetchItem, env *Env) *fetcher {
	conc := env.FetchConcurrency
	if conc <= 0 {
		conc = DefaultFetchConcurrency
	}
	f := &fetcher{stage: stage, order: make(chan pendingFetch, conc)}
	f.res, f.window = reserveWindow(env.MemoryPool(), conc, windowWanted(items))
	if f.window > 0 {
		f.sem = semaphore.NewWeighted(f.window)
	}
	for i := range items {
		items[i].stream = items[i].stream || items[i].n > f.window
	}
	ctx, f.cancel = context.WithCancel(ctx)
	go f.produce(ctx, items)
	return f
}

// windowWanted is the window worth reserving: DefaultFetchBytes, or less
// when the pieces add up to less.
func windowWanted(items []fetchItem) int64 {
	var total int64
	for _, it := range items {
		if !it.stream {
			total += it.n
		}
	}
	return min(total, DefaultFetchBytes)
}

// reserveWindow reserves the bytes-in-flight window from the pool,
// halving it while refused; 0 means stream sequentially.
func reserveWindow(pool *memory.Pool, conc int, want int64) (*memory.Reservation, int64) {
	if conc <= 1 || want <= 0 {
		return nil, 0
	}
	res := pool.Consumer("shuffle fetch", false)
	for w := want; w >= min(want, minFetchBytes); w /= 2 {
		if res.TryGrow(w) == nil {
			return res, w
		}
	}
	res.Free()
	return nil, 0
}

// produce starts the fetches in map order, each once it fits the window;
// the order channel's capacity bounds how many run at once.
func (f *fetcher) produce(ctx context.Context, items []fetchItem) {
	defer close(f.order)
	for _, it := range items {
		p := pendingFetch{item: it, done: make(chan fetchResult, 1)}
		if !it.stream {
			if err := f.sem.Acquire(ctx, it.n); err != nil {
				return
			}
		}
		select {
		case f.order <- p:
		case <-ctx.Done():
			return
		}
		if !it.stream {
			go func() {
				buf, err := f.fetch(ctx, it)
				p.done <- fetchResult{buf, err}
			}()
		}
	}
}

func (f *fetcher) fetch(ctx context.Context, it fetchItem) ([]byte, error) {
	loc, err := storage.Resolve(ctx, it.out.URL)
	if err != nil {
		return nil, task.AsFatal(err)
	}
	buf, err := shuffle.FetchPartition(ctx, loc, it.off, it.n)
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

// release returns a decoded piece's bytes to the window.
func (f *fetcher) release(it fetchItem) {
	if !it.stream {
		f.sem.Release(it.n)
	}
}

// close stops the fetches and gives the window back to the pool.
func (f *fetcher) close() {
	f.cancel()
	for range f.order {
	}
	if f.res != nil {
		f.res.Free()
	}
}
