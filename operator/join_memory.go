package operator

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/task"
)

// maxResidentBuild caps the build rows a join concatenates and indexes in
// memory, whatever the budget: a string column's concatenation has 32-bit
// offsets, so more than 2 GiB of one column's strings cannot be one array.
// A larger build side spills into partitions that are each below it.
const maxResidentBuild = 1 << 30

// joinTableRowBytes estimates the hash table's memory per build row: its
// chain link and its share of the map of heads.
const joinTableRowBytes = 48

// maxGraceLevels bounds a spilled join's recursion: 16^8 partitions.
const maxGraceLevels = 8

// errRefused tells load the build side did not fit.
var errRefused = errors.New("build side refused")

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
		refusal = j.grow(recsBytes(recs) + int64(countRows(recs))*joinTableRowBytes)
	}
	if refusal == nil {
		return j.index(ctx, recs)
	}
	if err := j.cannotSpill(recs, refusal); err != nil {
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
		j.res = j.env.pool().Consumer("hash join build", true)
	} else {
		j.res = j.env.pool().Consumer("nested loop join build", false)
	}
	j.ownRes = true
}

// grow reserves n more bytes for this join; a refusal (also past
// maxResidentBuild) is returned, not an error.
func (j *joinOp) grow(n int64) error {
	if j.held+n > maxResidentBuild {
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

// index concatenates the build batches (reserved, with room for the copy
// and the table) and builds the matcher's table over them.
func (j *joinOp) index(ctx context.Context, recs []arrow.RecordBatch) error {
	held := recsBytes(recs)
	defer j.shrink(held)
	defer releaseRecs(recs)
	cols, n, err := concatRecords(j.buildIn.Schema(), recs)
	if err != nil {
		return task.AsFatal(err)
	}
	j.build, j.buildN = cols, n
	if j.spec.Type.KeepsUnmatchedRight() {
		j.buildHit = make([]bool, n)
	}
	return j.matcher.load(ctx, cols, n)
}

// cannotSpill is the error of a join that cannot spill its build side:
// one without keys, a partition of one key, or one too deep.
func (j *joinOp) cannotSpill(recs []arrow.RecordBatch, refusal error) error {
	const raise = "raise --executor-memory (or --task-memory when running locally)"
	budget := j.env.pool().Limit()
	switch {
	case len(j.spec.LeftKeys) == 0:
		return task.AsFatal(fmt.Errorf("nested loop join build: %d rows (%d bytes) read so far do not fit the %d-byte memory budget, and a join without equality keys cannot spill; %s or add an equality condition: %w",
			countRows(recs), recsBytes(recs), budget, raise, refusal))
	case j.oneKey != nil && !j.oneKey.mixed:
		return task.AsFatal(fmt.Errorf("hash join build: key %s has %d rows (%d bytes), more than fit the %d-byte memory budget; %s, or spread the key (filter its rows out, or salt it): %w",
			j.oneKey.text, j.oneKey.rows, j.oneKey.bytes, budget, raise, refusal))
	case j.level >= maxGraceLevels:
		return task.AsFatal(fmt.Errorf("hash join build: a partition of %d rows still does not fit the %d-byte memory budget after %d levels of spilling; %s: %w",
			j.oneKey.rows, budget, j.level, raise, refusal))
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
