package parquetfmt

import (
	"context"
	"io"
	"runtime"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/drover-etl/drover/batch"
)

// item is one decoded batch or the error that ended a row group.
type item struct {
	rec arrow.RecordBatch
	err error
}

// slotDepth is how many batches a row group may decode ahead of the
// consumer; it bounds memory while letting later row groups proceed.
const slotDepth = 2

// reader decodes row groups on up to GOMAXPROCS goroutines. Each row group
// has its own channel (slot) and the consumer drains the slots in order,
// so the output order is the row-group order whatever finishes first.
// Workers take row groups in order too, so the slot being drained always
// has a worker and a worker blocked on a full slot cannot stall it.
type reader struct {
	p      *plan
	pf     *pfile
	fr     *pqarrow.FileReader
	slots  []chan item
	cur    int
	err    error
	ctx    context.Context // the workers'; canceled by Close
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

var _ batch.Reader = (*reader)(nil)

func newReader(ctx context.Context, pf *pfile, fr *pqarrow.FileReader, p *plan) *reader {
	ctx, cancel := context.WithCancel(ctx)
	r := &reader{p: p, pf: pf, fr: fr, ctx: ctx, cancel: cancel, slots: make([]chan item, len(p.rowGroups))}
	jobs := make(chan int, len(p.rowGroups))
	for i := range r.slots {
		r.slots[i] = make(chan item, slotDepth)
		jobs <- i
	}
	close(jobs)
	for range min(runtime.GOMAXPROCS(0), len(p.rowGroups)) {
		r.wg.Add(1)
		go r.work(ctx, jobs)
	}
	return r
}

func (r *reader) work(ctx context.Context, jobs <-chan int) {
	defer r.wg.Done()
	for i := range jobs {
		r.decode(ctx, i, r.slots[i])
	}
}

func (r *reader) Schema() *arrow.Schema { return r.p.schema }

// Next returns the next batch in row-group order.
func (r *reader) Next(ctx context.Context) (arrow.RecordBatch, error) {
	if r.err != nil {
		return nil, r.err
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
				r.cur++
				continue
			}
			if it.err != nil {
				r.err = it.err
				return nil, it.err
			}
			return it.rec, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return nil, io.EOF
}

// Close stops the workers, releases undelivered batches and closes the
// file.
func (r *reader) Close() error {
	if r.pf == nil {
		return nil
	}
	r.cancel()
	r.wg.Wait()
	for _, s := range r.slots {
		for it := range s {
			if it.rec != nil {
				it.rec.Release()
			}
		}
	}
	r.cur = len(r.slots)
	err := r.pf.Close()
	r.pf = nil
	return err
}
