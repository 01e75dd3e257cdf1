package operator

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"

	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/spill"
	"github.com/drover-etl/drover/task"
)

// A hash aggregation whose table the pool refuses (Final and Complete
// modes; a partial aggregation just flushes early) writes the table out
// partitioned by a hash of the group keys, starts over, and once the input
// is done aggregates each partition on its own. A partition that still
// does not fit is partitioned again with another hash seed.
//
// Stream 0 of a partition holds the group keys and the partial states of
// the aggregates that have them (the format the two-phase aggregation
// shuffles), merged back with merge. DISTINCT aggregates and exact
// quantiles have no such state: stream 1+i holds aggregate i's raw values
// (group keys, value), one row per value kept, folded back with update.
const (
	spillFanout   = 16
	maxSpillDepth = 8
	// groupOverhead is a group's hash table entry and per-group slices
	// beyond its key values.
	groupOverhead = 64
)

// rawSpiller is an accumulator without a mergeable state: it spills the
// values it keeps, each with its group.
type rawSpiller interface {
	rawValues() (gids []int32, vals arrow.Array, err error)
}

// sizer is an accumulator whose memory grows with its input, not just with
// its groups: bytes is what it holds beyond 16 bytes per state column and
// group (values kept, strings).
type sizer interface {
	bytes() int64
}

// spillPart is one partition of a spilled table: its file per stream (nil
// when the stream got no rows) and the spill level it was written at.
type spillPart struct {
	depth int
	files []spill.File
}

// account reserves the table's estimated size; when refused, a partial
// aggregation flushes, the others spill.
func (h *hashAgg) account() error {
	est := h.estimate()
	if h.res.Resize(est) == nil {
		return nil
	}
	if h.spec.Mode == physical.AggPartial {
		h.res.Grow(est - h.res.Size()) // given back by the flush
		h.full = true
		return nil
	}
	if h.groups.count <= 1 || h.depth >= maxSpillDepth {
		// What cannot be split further may still fit the consumer's
		// share of the budget, refused only because other slots hold
		// memory for now: take it (they spill), fail only beyond it.
		if share := h.res.Share(); share < 0 || est <= share {
			h.res.Grow(est - h.res.Size())
			return nil
		}
		return h.tooBig(est)
	}
	if err := h.spillTable(); err != nil {
		return err
	}
	return h.reset()
}

func (h *hashAgg) estimate() int64 {
	n := int64(h.groups.count)
	b := h.groups.keyBytes + n*groupOverhead
	for i, acc := range h.accs {
		b += n * 16 * int64(len(physical.StateTypes(h.spec.Aggs[i])))
		if s, ok := acc.(sizer); ok {
			b += s.bytes()
		}
	}
	return b
}

func (h *hashAgg) tooBig(est int64) error {
	groups := fmt.Sprintf("%d groups", h.groups.count)
	if h.groups.count <= 1 {
		groups = "a single group"
	}
	msg := fmt.Sprintf("hash aggregate: %s of groups for one partition (%s) do not fit the memory budget of %s (shared by the task slots) after spilling %d times",
		mib(est), groups, h.env.budget(), h.depth)
	if h.groups.count <= 1 {
		msg += "; DISTINCT aggregates and exact quantiles keep all of one group's values in memory"
	}
	return task.AsFatal(fmt.Errorf("%s; %s: %w", msg, raiseMemory, memory.ErrExhausted))
}

// spillTable writes the table to the current spill, by partition.
func (h *hashAgg) spillTable() error {
	if h.spill == nil {
		h.spill = &aggSpill{env: h.env, meter: h.meter, depth: h.depth + 1, files: make([][]*aggSpillFile, spillFanout)}
	}
	n := h.groups.count
	keyCols, err := h.groups.keyColumns(h.schema, len(h.groupEvs))
	if err != nil {
		return task.AsFatal(err)
	}
	defer releaseAll(keyCols)
	// The groups' hashes, kept in the table, pick their partitions: keys
	// are not encoded and hashed again. The seed is the spill level + 1,
	// so a partition splits again one level down.
	parts := h.groups.partitions(uint64(h.depth) + 1)
	cols := append([]arrow.Array(nil), keyCols...)
	for _, acc := range h.accs {
		acc.grow(n)
		if _, ok := acc.(rawSpiller); !ok {
			st := acc.partial()
			defer releaseAll(st)
			cols = append(cols, st...)
		}
	}
	if err := h.spill.write(0, cols, parts); err != nil {
		return err
	}
	for i, acc := range h.accs {
		if r, ok := acc.(rawSpiller); ok {
			if err := h.spillRaw(1+i, r, keyCols, parts); err != nil {
				return err
			}
		}
	}
	return nil
}

// spillRaw writes an accumulator's raw values with their group keys to
// their groups' partitions.
func (h *hashAgg) spillRaw(stream int, r rawSpiller, keyCols []arrow.Array, groupParts []int) error {
	gids, vals, err := r.rawValues()
	if err != nil {
		return task.AsFatal(err)
	}
	defer vals.Release()
	taken, err := takeRows(keyCols, gids)
	if err != nil {
		return task.AsFatal(err)
	}
	defer releaseAll(taken)
	parts := make([]int, len(gids))
	for j, g := range gids {
		parts[j] = groupParts[g]
	}
	return h.spill.write(stream, append(taken, vals), parts)
}

// finishSpill writes out what is left of the table and queues the
// partitions ahead of any left from before.
func (h *hashAgg) finishSpill() error {
	if h.groups.count > 0 {
		if err := h.spillTable(); err != nil {
			return err
		}
	}
	parts, err := h.spill.close(len(h.accs) + 1)
	h.spill = nil
	if err != nil {
		return err
	}
	h.queue = append(parts, h.queue...)
	return h.reset()
}

// aggregatePart aggregates the next queued partition into the (empty)
// table, then emits it or, if it spilled again, queues its partitions.
func (h *hashAgg) aggregatePart(ctx context.Context) error {
	p := h.queue[0]
	h.queue = h.queue[1:]
	defer removeFiles(p.files)
	h.depth = p.depth
	for stream, f := range p.files {
		if f == nil {
			continue
		}
		if err := h.readStream(ctx, f, stream); err != nil {
			return err
		}
	}
	return h.finish()
}

func (h *hashAgg) readStream(ctx context.Context, f spill.File, stream int) error {
	r, err := ipc.NewReader(spill.Reader(f))
	if err != nil {
		return task.AsFatal(fmt.Errorf("hash aggregate spill %s: %w", f.Name(), err))
	}
	defer r.Release()
	for r.Next() {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := h.addSpilled(r.RecordBatch(), stream); err != nil {
			return err
		}
		if err := h.account(); err != nil {
			return err
		}
	}
	if err := r.Err(); err != nil {
		return task.AsFatal(fmt.Errorf("hash aggregate spill %s: %w", f.Name(), err))
	}
	return nil
}

// addSpilled folds a spilled batch back into the table: states through
// merge (stream 0), raw values through update (stream 1+i).
func (h *hashAgg) addSpilled(rec arrow.RecordBatch, stream int) error {
	n := int(rec.NumRows())
	nk := len(h.groupEvs)
	cols := rec.Columns()
	gids, err := h.groups.assign(cols[:nk], n)
	if err != nil {
		return task.AsFatal(err)
	}
	if stream > 0 {
		acc := h.accs[stream-1]
		acc.grow(h.groups.count)
		return wrapAgg(h.spec.Aggs[stream-1].String(), acc.update(gids, cols[nk]))
	}
	off := nk
	for i, acc := range h.accs {
		acc.grow(h.groups.count)
		if _, ok := acc.(rawSpiller); ok {
			continue
		}
		k := len(physical.StateTypes(h.spec.Aggs[i]))
		if err := acc.merge(gids, cols[off:off+k]); err != nil {
			return wrapAgg(h.spec.Aggs[i].String(), err)
		}
		off += k
	}
	return nil
}

func wrapAgg(name string, err error) error {
	if err == nil {
		return nil
	}
	return task.AsFatal(fmt.Errorf("hash aggregate spill: %s: %w", name, err))
}

// dropSpill removes every spill file not read yet.
func (h *hashAgg) dropSpill() {
	if h.spill != nil {
		parts, _ := h.spill.close(len(h.accs) + 1)
		h.queue = append(h.queue, parts...)
		h.spill = nil
	}
	for _, p := range h.queue {
		removeFiles(p.files)
	}
	h.queue = nil
}

func removeFiles(files []spill.File) {
	for _, f := range files {
		if f != nil {
			f.Remove()
		}
	}
}

// aggSpill is the partition files one spill level is writing.
type aggSpill struct {
	env   *Env
	meter spillMeter
	depth int
	files [][]*aggSpillFile // by partition, then stream
}

type aggSpillFile struct {
	f spill.Writer
	w *ipc.Writer
}

// write appends the rows of cols to their partitions' files of stream.
func (s *aggSpill) write(stream int, cols []arrow.Array, parts []int) error {
	idx := make([][]int32, spillFanout)
	for i, p := range parts {
		idx[p] = append(idx[p], int32(i))
	}
	for p, rows := range idx {
		if len(rows) == 0 {
			continue
		}
		if err := s.writeRows(p, stream, cols, rows); err != nil {
			return fmt.Errorf("hash aggregate spill: %w", err)
		}
	}
	return nil
}

func (s *aggSpill) writeRows(p, stream int, cols []arrow.Array, rows []int32) error {
	taken, err := takeRows(cols, rows)
	if err != nil {
		return err
	}
	rec := array.NewRecordBatch(schemaOf(taken), taken, int64(len(rows)))
	releaseAll(taken)
	defer rec.Release()
	sf, err := s.file(p, stream, rec.Schema())
	if err != nil {
		return err
	}
	return sf.w.Write(rec)
}

func (s *aggSpill) file(p, stream int, schema *arrow.Schema) (*aggSpillFile, error) {
	for len(s.files[p]) <= stream {
		s.files[p] = append(s.files[p], nil)
	}
	if sf := s.files[p][stream]; sf != nil {
		return sf, nil
	}
	f, err := s.env.createSpill("agg")
	if err != nil {
		return nil, err
	}
	sf := &aggSpillFile{f: f, w: ipc.NewWriter(f, ipc.WithSchema(schema), ipc.WithLZ4())}
	s.files[p][stream] = sf
	return sf, nil
}

// close finishes the files and returns the partitions that got rows, each
// with streams file names.
func (s *aggSpill) close(streams int) ([]spillPart, error) {
	var parts []spillPart
	var first error
	for _, fs := range s.files {
		if len(fs) == 0 {
			continue
		}
		p := spillPart{depth: s.depth, files: make([]spill.File, streams)}
		for stream, sf := range fs {
			if sf == nil {
				continue
			}
			if err := sf.w.Close(); err != nil {
				sf.f.Abort()
				if first == nil {
					first = err
				}
				continue
			}
			f, err := finishSpill(sf.f, s.meter, "hash aggregate")
			if err != nil {
				if first == nil {
					first = err
				}
				continue
			}
			p.files[stream] = f
		}
		parts = append(parts, p)
	}
	s.files = nil
	if first != nil {
		return parts, fmt.Errorf("hash aggregate spill: %w", first)
	}
	return parts, nil
}
