package operator

import (
	"context"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/task"
)

// maxResidentBuild caps the build rows a join concatenates and indexes in
// memory, whatever the budget: a string column's concatenation has 32-bit
// offsets, so more than 2 GiB of one column's strings cannot be one array.
// A larger hash join build side spills into partitions that are each below
// it (a nested loop join, which cannot spill, is left uncapped).
const maxResidentBuild = 1 << 30

// joinTableKeyBytes estimates the hash table's memory per distinct key
// (its slots, at most three quarters full, its hash and chain head, not
// the bytes of encoded keys); each row adds a 4-byte link.
const joinTableKeyBytes = 64

// tableBytes estimates the hash table over rows build rows of distinct keys.
func tableBytes(rows, distinct int) int64 {
	return int64(rows)*4 + int64(distinct)*joinTableKeyBytes
}

// maxGraceLevels bounds a spilled join's recursion: 16^8 partitions.
const maxGraceLevels = 8

// load reads the build side, reserving it as it comes, and indexes it; a
// keyed join whose build side does not fit spills instead (graceJoin).
func (j *joinOp) load(ctx context.Context) error {
	j.loaded = true
	j.reserve()
	recs, refusal, err := j.drainBuild(ctx)
	if err != nil {
		return err
	}
	if refusal == nil {
		rows := countRows(recs)
		distinct := rows
		if j.oneKey != nil && !j.oneKey.mixed {
			distinct = 1
		}
		refusal = j.grow(indexRoom(recs, distinct))
	}
	if refusal == nil {
		return j.index(ctx, recs)
	}
	if err := j.cannotSpill(recs, refusal); err != nil {
		// What cannot be split may still fit the join's share of the
		// budget, refused only because other operators hold memory for
		// now: take it (they spill), fail only beyond it.
		recs, fits, rerr := j.takeShare(ctx, recs)
		if rerr != nil {
			return rerr
		}
		if fits {
			return j.index(ctx, recs)
		}
		err = j.cannotSpill(recs, refusal)
		releaseRecs(recs)
		return err
	}
	g, err := newGraceJoin(ctx, j, recs)
	if err != nil {
		return err
	}
	j.grace = g
	return nil
}

// reserve registers the join with the pool unless its parent shares one.
func (j *joinOp) reserve() {
	if j.res != nil {
		return
	}
	if len(j.spec.LeftKeys) > 0 {
		j.res = j.env.MemoryPool().Consumer("hash join build", true)
	} else {
		j.res = j.env.MemoryPool().Consumer("nested loop join build", false)
	}
	j.ownRes = true
}

// grow reserves n more bytes for this join; a refusal (also past
// maxResidentBuild) is returned, not an error.
func (j *joinOp) grow(n int64) error {
	if j.held+n > maxResidentBuild && len(j.spec.LeftKeys) > 0 { // a nested loop cannot spill
		return fmt.Errorf("%s: %d bytes are more than one in-memory build holds (%d): %w",
			j.res.Name(), j.held+n, maxResidentBuild, memory.ErrExhausted)
	}
	if err := j.res.TryGrow(n); err != nil {
		return err
	}
	j.held += n
	return nil
}

// shrink gives back n bytes this join held.
func (j *joinOp) shrink(n int64) {
	n = min(n, j.held)
	j.res.Shrink(n)
	j.held -= n
}

// takeShare reads the rest of the build side into recs, reserving past
// what the pool grants at the moment while the join, with its index, stays
// within its fair share of the budget (Share) and the most one in-memory
// build holds. fits is false once it does not; recs are returned either way.
func (j *joinOp) takeShare(ctx context.Context, recs []arrow.RecordBatch) ([]arrow.RecordBatch, bool, error) {
	limit := j.res.Share()
	if len(j.spec.LeftKeys) > 0 && (limit < 0 || limit > maxResidentBuild) {
		limit = maxResidentBuild
	}
	over := func(n int64) bool { return limit >= 0 && n > limit }
	for !over(j.held) {
		rec, err := j.buildIn.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			releaseRecs(recs)
			return nil, false, err
		}
		recs = append(recs, rec)
		j.res.Grow(recordBytes(rec))
		j.held += recordBytes(rec)
	}
	distinct := countRows(recs)
	if j.oneKey != nil && !j.oneKey.mixed {
		distinct = 1
	}
	room := indexRoom(recs, distinct)
	if over(j.held + room) {
		return recs, false, nil
	}
	j.res.Grow(room)
	j.held += room
	return recs, true, nil
}

// release gives back everything the join holds.
func (j *joinOp) release() {
	if j.res == nil {
		return
	}
	j.shrink(j.held)
	if j.ownRes {
		j.res.Free()
	}
}

// drainBuild reads the build side until it ends or a batch is refused;
// the refused batch is kept (in memory already) and the rest left unread.
func (j *joinOp) drainBuild(ctx context.Context) ([]arrow.RecordBatch, error, error) {
	var recs []arrow.RecordBatch
	for {
		rec, err := j.buildIn.Next(ctx)
		if err == io.EOF {
			return recs, nil, nil
		}
		if err != nil {
			releaseRecs(recs)
			return nil, nil, err
		}
		recs = append(recs, rec)
		if refusal := j.grow(recordBytes(rec)); refusal != nil {
			j.res.Grow(recordBytes(rec)) // it is in memory: account for it
			j.held += recordBytes(rec)
			return recs, refusal, nil
		}
	}
}

// index concatenates the build batches (reserved, with room for one
// column's copy and the table: indexRoom) and builds the matcher's table
// over them; then the reservation is set to what the columns and table
// really hold.
func (j *joinOp) index(ctx context.Context, recs []arrow.RecordBatch) error {
	cols, n, err := concatOwned(j.buildIn.Schema(), recs)
	if err != nil {
		return task.AsFatal(err)
	}
	if j.filter == nil {
		// keys stay as they are: the hash table reads them
		dictEncodeBuild(cols, n, usedColumns(len(cols), j.spec.RightKeys...))
	}
	j.build, j.buildN = cols, n
	if j.spec.Type.KeepsUnmatchedRight() {
		j.buildHit = make([]bool, n)
	}
	err = j.matcher.load(ctx, cols, n)
	var held int64
	for _, c := range cols {
		held += batch.ArrayBytes(c)
	}
	if hm, ok := j.matcher.(*hashMatcher); ok && hm.table != nil {
		held += hm.table.bytes()
	}
	j.settle(held)
	return err
}

// indexRoom is what index needs beyond the batches themselves: the copy
// of the largest column and the hash table (of at most distinct keys).
func indexRoom(recs []arrow.RecordBatch, distinct int) int64 {
	var widest int64
	if len(recs) > 0 {
		for c := range int(recs[0].NumCols()) {
			var n int64
			for _, r := range recs {
				n += batch.ArrayBytes(r.Column(c))
			}
			widest = max(widest, n)
		}
	}
	return widest + tableBytes(countRows(recs), distinct)
}

// settle sets the join's reservation to n bytes it holds now.
func (j *joinOp) settle(n int64) {
	if n > j.held {
		j.res.Grow(n - j.held)
	} else {
		j.res.Shrink(j.held - n)
	}
	j.held = n
}

// concatOwned is concatRecords for batches it takes over: each column's
// pieces are released once that column is copied, so concatenating costs
// one column's copy at a time, not the whole build side again (unless the
// batches share their buffers with others).
func concatOwned(schema *arrow.Schema, recs []arrow.RecordBatch) ([]arrow.Array, int, error) {
	pieces := make([][]arrow.Array, schema.NumFields())
	n := 0
	for _, r := range recs {
		n += int(r.NumRows())
		for c := range pieces {
			p, err := plain(r.Column(c))
			if err != nil {
				for _, ps := range pieces {
					releaseAll(ps)
				}
				releaseRecs(recs)
				return nil, 0, err
			}
			pieces[c] = append(pieces[c], p)
		}
	}
	releaseRecs(recs)
	cols := make([]arrow.Array, len(pieces))
	for c, ps := range pieces {
		var err error
		if len(ps) == 0 {
			cols[c] = array.MakeArrayOfNull(mem, schema.Field(c).Type, 0)
		} else {
			cols[c], err = array.Concatenate(ps, mem)
		}
		releaseAll(ps)
		if err != nil {
			for _, rest := range pieces[c+1:] {
				releaseAll(rest)
			}
			releaseAll(cols[:c])
			return nil, 0, err
		}
	}
	return cols, n, nil
}

// cannotSpill is the error of a join that cannot spill its build side:
// one without keys, a partition of one key, or one too deep.
func (j *joinOp) cannotSpill(recs []arrow.RecordBatch, refusal error) error {
	budget := fmt.Sprintf("the %d-byte memory budget", j.env.MemoryPool().Limit())
	if l := j.env.MemoryPool().Limit(); len(j.spec.LeftKeys) > 0 && (l <= 0 || l > maxResidentBuild) {
		budget = fmt.Sprintf("the %d bytes one in-memory build side holds at most", int64(maxResidentBuild))
	}
	switch {
	case len(j.spec.LeftKeys) == 0:
		return task.AsFatal(fmt.Errorf("nested loop join build: %d rows (%d bytes) read so far do not fit %s, and a join without equality keys cannot spill; %s; or add an equality condition: %w",
			countRows(recs), recsBytes(recs), budget, raiseMemory, refusal))
	case j.oneKey != nil && !j.oneKey.mixed:
		return task.AsFatal(fmt.Errorf("hash join build: key %s has %d rows (%d bytes), more than fit %s; %s; or spread the key (filter its rows out, or salt it): %w",
			j.oneKey.text, j.oneKey.rows, j.oneKey.bytes, budget, raiseMemory, refusal))
	case j.level >= maxGraceLevels:
		return task.AsFatal(fmt.Errorf("hash join build: a partition of %d rows still does not fit %s after %d levels of spilling; %s: %w",
			j.oneKey.rows, budget, j.level, raiseMemory, refusal))
	}
	return nil
}

func recsBytes(recs []arrow.RecordBatch) int64 {
	var n int64
	for _, r := range recs {
		n += recordBytes(r)
	}
	return n
}

func countRows(recs []arrow.RecordBatch) int {
	n := 0
	for _, r := range recs {
		n += int(r.NumRows())
	}
	return n
}
