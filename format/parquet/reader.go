package parquetfmt

import (
	"context"
	"io"
	"runtime"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/format"
	"github.com/drover-etl/drover/memory"
)

// item is one decoded batch or the error that ended a unit. filtered
// says that late materialization applied the filters to rec exactly.
type item struct {
	rec      arrow.RecordBatch
	err      error
	filtered bool
}

// slotDepth is how many batches a unit may decode ahead of the consumer;
// it bounds memory while letting later units proceed.
const slotDepth = 2

// reader decodes units (row groups, or morsels of large ones: morsel.go)
// on up to GOMAXPROCS goroutines. Each unit has its own channel (slot)
// and the consumer drains the slots in order, so the output order is the
// file's row order whatever finishes first. Workers take units in order
// too, so the slot being drained always has a worker and a worker blocked
// on a full slot cannot stall it.
//
// A unit is handed out only with a ticket, and the consumer returns the
// ticket when it has drained that unit: at most aheadPerWorker × workers
// units are decoded or decoding at once. Without the bound, workers
// faster than the consumer decode the whole split into memory.
type reader struct {
	p       *plan
	pf      *pfile
	fr      *pqarrow.FileReader
	slots   []chan item
	tickets chan struct{}
	ahead   *readAhead // the units in flight, counted in the task's pool
	cur     int
	err     error
	last    bool            // the batch Next returned last is filtered (format.Prefiltered)
	started bool            // the workers run (start)
	ctx     context.Context // the workers'; canceled by Close
	cancel  context.CancelFunc
	wg      sync.WaitGroup
}

// aheadPerWorker is how many units per worker may be decoded ahead of the
// consumer.
const aheadPerWorker = 2

var (
	_ batch.Reader       = (*reader)(nil)
	_ format.Prefiltered = (*reader)(nil)
)

func newReader(ctx context.Context, pf *pfile, fr *pqarrow.FileReader, p *plan, pool *memory.Pool, lazy bool) *reader {
	ctx, cancel := context.WithCancel(ctx)
	r := &reader{p: p, pf: pf, fr: fr, ctx: ctx, cancel: cancel, slots: make([]chan item, len(p.units)),
		ahead: newReadAhead(pool, p, fr.ParquetReader().MetaData())}
	for i := range r.slots {
		r.slots[i] = make(chan item, slotDepth)
	}
	if !lazy {
		r.start()
	}
	return r
}

// start sets the workers going. A reader whose rows a join's runtime
// filter may drop starts lazily, on its first Next: the join asks for
// the probe side only once its filter is installed, so no unit is
// decoded ahead without it.
func (r *reader) start() {
	r.started = true
	workers := min(decodeWorkers(), len(r.p.units))
	r.tickets = make(chan struct{}, aheadPerWorker*max(workers, 1))
	jobs := make(chan int)
	r.wg.Add(1)
	go r.dispatch(r.ctx, jobs)
	for range workers {
		r.wg.Add(1)
		go r.work(r.ctx, jobs)
	}
}

// dispatch hands out the units in order, each once it has a ticket. When
// the reader is closed first, it closes the slots of the units it did not
// hand out (a worker closes the others).
func (r *reader) dispatch(ctx context.Context, jobs chan<- int) {
	defer r.wg.Done()
	defer close(jobs)
	for i := range r.slots {
		select {
		case r.tickets <- struct{}{}:
		case <-ctx.Done():
			closeAll(r.slots[i:])
			return
		}
		if !r.ahead.acquire(ctx, i) {
			closeAll(r.slots[i:])
			return
		}
		select {
		case jobs <- i:
		case <-ctx.Done():
			closeAll(r.slots[i:])
			return
		}
	}
}

func closeAll(slots []chan item) {
	for _, s := range slots {
		close(s)
	}
}

func (r *reader) work(ctx context.Context, jobs <-chan int) {
	defer r.wg.Done()
	for i := range jobs {
		r.decode(ctx, i, r.slots[i])
	}
}

// decodeWorkers is how many goroutines a reader decodes on.
func decodeWorkers() int { return runtime.GOMAXPROCS(0) }

func (r *reader) Schema() *arrow.Schema { return r.p.schema }

// Next returns the next batch in file order.
func (r *reader) Next(ctx context.Context) (arrow.RecordBatch, error) {
	r.last = false
	if r.err != nil {
		return nil, r.err
	}
	if !r.started {
		r.start()
	}
	for r.cur < len(r.slots) {
		select {
		case it, ok := <-r.slots[r.cur]:
			if !ok {
				// A slot also closes early when the workers' context
				// ends: that must not read as a clean end of data.
				if err := r.ctx.Err(); err != nil {
					r.err = err
					return nil, err
				}
				r.ahead.release(r.cur)
				r.cur++
				<-r.tickets // that unit is drained: the next may start
				continue
			}
			if it.err != nil {
				r.err = it.err
				return nil, it.err
			}
			r.last = it.filtered
			return it.rec, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return nil, io.EOF
}

// Filtered reports whether the last batch Next returned holds only rows
// where the filters are TRUE (late materialization evaluated them).
func (r *reader) Filtered() bool { return r.last }

// Close stops the workers, releases undelivered batches and closes the
// file.
func (r *reader) Close() error {
	if r.pf == nil {
		return nil
	}
	r.cancel()
	r.wg.Wait()
	if !r.started {
		r.started = true
		closeAll(r.slots)
	}
	for _, s := range r.slots {
		for it := range s {
			if it.rec != nil {
				it.rec.Release()
			}
		}
	}
	r.cur = len(r.slots)
	r.ahead.free()
	err := r.pf.Close()
	r.pf = nil
	return err
}
