package parquetfmt

import (
	"context"
	"sync"

	"github.com/apache/arrow-go/v18/parquet/metadata"

	"github.com/drover-etl/drover/memory"
)

// readAhead counts the reader's units in flight (decoding, or decoded and
// not yet drained) in the task's memory pool, as "parquet read-ahead":
// each decodes a row group's worth of pages and batches that no operator
// reserves, and with several workers per reader and several readers per
// process they were the largest holder the budget did not count
// (measured: 142 MB of a 217 MB heap under a 64 MiB budget, sorting
// lineitem). One unit is always let through, counted or not, so a scan
// never stalls; further ones only while they fit the pool and the reader
// holds at most readAheadShare of it, so under a small budget the reader
// decodes one unit at a time instead of squeezing the operators.
type readAhead struct {
	res     *memory.Reservation // nil: no pool, only the tickets bound
	limit   int64               // the most this reader holds beyond one unit
	bytes   []int64             // estimated bytes of each unit
	mu      sync.Mutex
	held    map[int]int64 // units in flight and what each reserved
	drained chan struct{} // a unit was drained (capacity 1)
}

// readAheadShare is the part of the pool one reader's read-ahead may hold
// beyond its first unit (a task has one scan per input; two tasks per
// process hold a quarter).
const readAheadShare = 8

// decodedPerUncompressed estimates a unit's memory from the uncompressed
// size of its column chunks: the record reader's decode buffers plus the
// converted batch (decimals widen to 16 bytes, strings gain offsets).
const decodedPerUncompressed = 2

func newReadAhead(pool *memory.Pool, p *plan, md *metadata.FileMetaData) *readAhead {
	ra := &readAhead{held: map[int]int64{}, drained: make(chan struct{}, 1)}
	if pool == nil {
		return ra
	}
	ra.res = pool.Consumer("parquet read-ahead", false)
	if l := pool.Limit(); l > 0 {
		ra.limit = l / readAheadShare
	} else {
		ra.limit = -1
	}
	ra.bytes = make([]int64, len(p.units))
	for i, u := range p.units {
		ra.bytes[i] = unitBytes(md, p, u)
	}
	return ra
}

// unitBytes estimates what decoding unit u holds: its share of the
// projected column chunks' uncompressed bytes, times
// decodedPerUncompressed.
func unitBytes(md *metadata.FileMetaData, p *plan, u unit) int64 {
	rg := md.RowGroup(p.rowGroups[u.rg])
	rows := rg.NumRows()
	if rows <= 0 {
		return 0
	}
	var n int64
	for _, leaf := range p.leaves {
		if c, err := rg.ColumnChunk(leaf); err == nil {
			n += c.TotalUncompressedSize()
		}
	}
	return n * u.rows() / rows * decodedPerUncompressed
}

// acquire counts unit i in flight, waiting while others are in flight and
// it does not fit; false when ctx ends first.
func (ra *readAhead) acquire(ctx context.Context, i int) bool {
	if ra.res == nil {
		return true
	}
	for {
		if ra.tryAcquire(i) {
			return true
		}
		select {
		case <-ra.drained:
		case <-ctx.Done():
			return false
		}
	}
}

func (ra *readAhead) tryAcquire(i int) bool {
	ra.mu.Lock()
	defer ra.mu.Unlock()
	n := ra.bytes[i]
	switch {
	case len(ra.held) == 0:
		ra.res.Grow(n) // the one unit the scan needs to make progress
	case ra.limit >= 0 && ra.res.Size()+n > ra.limit:
		return false
	case ra.res.TryGrow(n) != nil:
		return false
	}
	ra.held[i] = n
	return true
}

// release gives back unit i's bytes once the consumer drained it.
func (ra *readAhead) release(i int) {
	if ra.res == nil {
		return
	}
	ra.mu.Lock()
	ra.res.Shrink(ra.held[i])
	delete(ra.held, i)
	ra.mu.Unlock()
	select {
	case ra.drained <- struct{}{}:
	default:
	}
}

func (ra *readAhead) free() {
	if ra.res == nil {
		return
	}
	ra.mu.Lock()
	ra.res.Free()
	ra.held = map[int]int64{}
	ra.mu.Unlock()
}
