package operator

import (
	"context"
	"io"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/expr"
	"github.com/drover-etl/drover/expr/eval"
	"github.com/drover-etl/drover/plan/logical"
	"github.com/drover-etl/drover/task"
)

// graceJoin runs a keyed join whose build side did not fit its memory
// share: a hybrid grace hash join. Both sides split into graceFanout
// partitions by a hash of their keys (rows that can match share one). Build
// partitions stay in memory while they fit; when a reservation is refused
// the largest one spills to a local file, and later rows of a spilled
// partition go straight to it. The resident partitions are then joined as
// one in-memory join while the probe side streams by: rows of resident
// partitions are matched at once, rows of spilled ones spilled too. Each
// spilled partition is joined afterwards on its own, by a join that spills
// again (with a new hash seed) if it still does not fit. Every join type
// is a union of per-partition joins, since a probe row only ever meets the
// build rows of its partition: right and full joins emit a partition's
// unmatched build rows when its probe rows are done.
type graceJoin struct {
	j        *joinOp // the join that spilled: spec, env, reservation, level
	build    *keyHasher
	parts    [graceFanout]*gracePart
	cur      batch.Reader // the resident join, then each partition's
	nextPart int          // the next spilled partition to join
	probeIn  *routedProbe
	dead     *spillFile // right and full joins: build rows that cannot match
	err      error
}

// gracePart is one partition: build rows resident in memory until it
// spills, then its files.
type gracePart struct {
	recs         []arrow.RecordBatch
	bytes        int64 // reserved for recs
	spilled      bool
	build, probe *spillFile
	keys         sameKey
}

// joinSpills counts what a join spilled, across its recursion.
type joinSpills struct {
	partitions int // partitions spilled
	deepest    int // the deepest level that spilled (0: the join itself)
}

func newGraceJoin(ctx context.Context, j *joinOp, recs []arrow.RecordBatch) (*graceJoin, error) {
	g := &graceJoin{j: j}
	if j.spills == nil {
		j.spills = &joinSpills{}
	}
	j.spills.deepest = max(j.spills.deepest, j.level)
	ok := false
	defer func() {
		if !ok {
			for _, r := range recs {
				if r != nil {
					r.Release()
				}
			}
			g.close()
		}
	}()
	var err error
	if g.build, err = g.hasher(j.spec.RightKeys); err != nil {
		return nil, err
	}
	for i := range g.parts {
		g.parts[i] = &gracePart{}
	}
	for i, rec := range recs {
		b := recordBytes(rec)
		err := g.addBuild(ctx, rec)
		rec.Release()
		recs[i] = nil
		j.shrink(b)
		if err != nil {
			return nil, err
		}
	}
	recs = nil
	if err := g.drainBuild(ctx); err != nil {
		return nil, err
	}
	if err := g.startResident(ctx); err != nil {
		return nil, err
	}
	ok = true
	return g, nil
}

// hasher compiles one side's keys into a keyHasher of this level's seed.
func (g *graceJoin) hasher(exprs []*expr.Expr) (*keyHasher, error) {
	h := &keyHasher{seed: graceSeed(g.j.level)}
	for _, ns := range g.j.spec.NullSafe {
		if ns {
			h.nullSafe = g.j.spec.NullSafe
		}
	}
	for _, e := range exprs {
		ev, err := eval.Compile(e, eval.Options{UDF: g.j.env.UDF})
		if err != nil {
			return nil, task.AsFatal(err)
		}
		h.evals = append(h.evals, ev)
	}
	return h, nil
}

func (g *graceJoin) drainBuild(ctx context.Context) error {
	for {
		rec, err := g.j.buildIn.Next(ctx)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		err = g.addBuild(ctx, rec)
		rec.Release()
		if err != nil {
			return err
		}
	}
}

// addBuild splits a build batch into its partitions.
func (g *graceJoin) addBuild(ctx context.Context, rec arrow.RecordBatch) error {
	parts, dead, err := g.build.split(ctx, rec)
	if err != nil {
		return err
	}
	if err := g.addUnmatchable(rec, dead); err != nil {
		return err
	}
	for p, rows := range parts {
		if len(rows) == 0 {
			continue
		}
		part := g.parts[p]
		part.keys.see(g.build, rows)
		sub, err := TakeRecord(rec, rows)
		if err != nil {
			return evalFailed(err)
		}
		part.keys.rows += int64(len(rows))
		part.keys.bytes += recordBytes(sub)
		if err := g.keep(part, sub); err != nil {
			return err
		}
	}
	return nil
}

// keep holds sub in part's memory if it fits, spilling the largest
// resident partitions until it does; else sub goes to part's file.
func (g *graceJoin) keep(part *gracePart, sub arrow.RecordBatch) error {
	b := recordBytes(sub)
	for !part.spilled {
		if g.j.grow(b) == nil {
			part.recs = append(part.recs, sub)
			part.bytes += b
			return nil
		}
		if err := g.spill(g.largest()); err != nil {
			sub.Release()
			return err
		}
	}
	defer sub.Release()
	return part.build.write(sub)
}

// addUnmatchable keeps the build rows that cannot match for right and
// full joins, which output them last; other join types drop them. They
// stay out of the partitions: many NULL keys are not one key too large.
func (g *graceJoin) addUnmatchable(rec arrow.RecordBatch, rows []int32) error {
	if len(rows) == 0 || !g.j.spec.Type.KeepsUnmatchedRight() {
		return nil
	}
	if g.dead == nil {
		g.dead = newSpillFile(g.j.env, g.j.meter, "hash-join-build", g.j.buildIn.Schema())
	}
	sub, err := TakeRecord(rec, rows)
	if err != nil {
		return evalFailed(err)
	}
	defer sub.Release()
	return g.dead.write(sub)
}

// largest is the resident partition holding the most bytes, or nil.
func (g *graceJoin) largest() *gracePart {
	var best *gracePart
	for _, p := range g.parts {
		if !p.spilled && (best == nil || p.bytes > best.bytes) {
			best = p
		}
	}
	return best
}

// spill moves a resident partition's build rows to its file.
func (g *graceJoin) spill(p *gracePart) error {
	if p == nil {
		return nil
	}
	p.spilled = true
	g.j.spills.partitions++
	p.build = newSpillFile(g.j.env, g.j.meter, "hash-join-build", g.j.buildIn.Schema())
	p.probe = newSpillFile(g.j.env, g.j.meter, "hash-join-probe", g.j.probe.Schema())
	recs := p.recs
	p.recs = nil
	defer releaseRecs(recs)
	g.j.shrink(p.bytes)
	p.bytes = 0
	for _, r := range recs {
		if err := p.build.write(r); err != nil {
			return err
		}
	}
	return nil
}

// startResident spills partitions until the resident ones can be indexed
// (their copy and table reserved too), then starts their join over the
// probe rows routed to them.
func (g *graceJoin) startResident(ctx context.Context) error {
	var recs []arrow.RecordBatch
	var bytes, extra int64
	for {
		recs, bytes = nil, 0
		for _, p := range g.parts {
			if !p.spilled {
				recs = append(recs, p.recs...)
				bytes += p.bytes
			}
		}
		extra = indexRoom(recs, countRows(recs))
		if len(recs) == 0 || g.j.grow(extra) == nil {
			break
		}
		if err := g.spill(g.largest()); err != nil {
			return err
		}
	}
	if len(recs) == 0 {
		extra = 0
	}
	r := g.child(g.route(), batch.NewSliceReader(g.j.buildIn.Schema(), nil), nil)
	if err := r.compile(g.j.env); err != nil {
		return task.AsFatal(err)
	}
	// The resident partitions' rows and the room to index them move from
	// g.j's reservation to r's (the same Reservation, other bookkeeping).
	for _, p := range g.parts {
		p.recs, p.bytes = nil, 0
	}
	g.j.held -= bytes + extra
	r.held += bytes + extra
	r.loaded = true
	g.cur = r
	return r.index(ctx, recs)
}

// child is a join over given sides sharing g.j's spec and reservation.
func (g *graceJoin) child(probe, build batch.Reader, keys *sameKey) *joinOp {
	j := g.j
	return &joinOp{probe: probe, buildIn: build, spec: j.spec, schema: j.schema, batchRows: j.batchRows,
		env: j.env, meter: j.meter, res: j.res, level: j.level + 1, oneKey: keys, spills: j.spills}
}

// next reads the resident join, then each spilled partition's. An error
// sticks: going on would skip what failed.
func (g *graceJoin) next(ctx context.Context) (arrow.RecordBatch, error) {
	if g.err != nil {
		return nil, g.err
	}
	rec, err := g.advance(ctx)
	if err != nil && err != io.EOF {
		g.err = err
	}
	return rec, err
}

func (g *graceJoin) advance(ctx context.Context) (arrow.RecordBatch, error) {
	for {
		if g.cur != nil {
			rec, err := g.cur.Next(ctx)
			if err != io.EOF {
				return rec, err
			}
			g.cur.Close()
			g.cur = nil
		}
		if err := g.startPartition(); err != nil {
			return nil, err
		}
		if g.cur == nil {
			return nil, io.EOF
		}
	}
}

// startPartition makes the next spilled partition's join current, and
// last the build rows that cannot match.
func (g *graceJoin) startPartition() error {
	if err := g.startPartitionJoin(); err != nil || g.cur != nil {
		return err
	}
	if g.dead == nil {
		return nil
	}
	build, err := g.dead.reader()
	g.dead = nil
	if err != nil {
		return err
	}
	g.cur = &nullExtended{schema: g.j.schema, probe: g.j.probe.Schema(), build: build}
	return nil
}

func (g *graceJoin) startPartitionJoin() error {
	for ; g.nextPart < len(g.parts); g.nextPart++ {
		p := g.parts[g.nextPart]
		if !p.spilled {
			continue
		}
		g.nextPart++
		build, err := p.build.reader()
		if err != nil {
			return err
		}
		probe, err := p.probe.reader()
		if err != nil {
			build.Close()
			return err
		}
		c := g.child(probe, build, &p.keys)
		if err := c.compile(g.j.env); err != nil {
			c.Close()
			return task.AsFatal(err)
		}
		g.cur = c
		return nil
	}
	return nil
}

func (g *graceJoin) close() {
	if g.cur != nil {
		g.cur.Close()
		g.cur = nil
	}
	for _, p := range g.parts {
		if p == nil {
			continue
		}
		releaseRecs(p.recs)
		g.j.shrink(p.bytes)
		p.recs, p.bytes = nil, 0
		if p.build != nil {
			p.build.discard()
			p.probe.discard()
		}
	}
	if g.build != nil {
		g.build.release()
	}
	if g.dead != nil {
		g.dead.discard()
	}
	if g.probeIn != nil {
		g.probeIn.hasher.release()
	}
}

// route is the probe side as the resident join reads it: the rows of
// resident partitions; the rest go to their partitions' files.
func (g *graceJoin) route() *routedProbe {
	h, err := g.hasher(g.j.spec.LeftKeys)
	r := &routedProbe{g: g, hasher: h, err: err}
	g.probeIn = r
	return r
}

// routedProbe reads the probe side for the resident join, spilling the
// rows of spilled partitions on the way.
type routedProbe struct {
	g      *graceJoin
	hasher *keyHasher
	err    error
}

func (r *routedProbe) Schema() *arrow.Schema { return r.g.j.probe.Schema() }

// Close leaves the probe side open: the join that spilled closes it.
func (r *routedProbe) Close() error { return nil }

func (r *routedProbe) Next(ctx context.Context) (arrow.RecordBatch, error) {
	if r.err != nil {
		return nil, r.err
	}
	for {
		rec, err := r.g.j.probe.Next(ctx)
		if err != nil {
			return nil, err
		}
		out, err := r.split(ctx, rec)
		rec.Release()
		if err != nil || out != nil {
			return out, err
		}
	}
}

// split spills rec's rows of spilled partitions and returns the rest (nil
// when none).
func (r *routedProbe) split(ctx context.Context, rec arrow.RecordBatch) (arrow.RecordBatch, error) {
	parts, dead, err := r.hasher.split(ctx, rec)
	if err != nil {
		return nil, err
	}
	var keep []int32
	if r.g.keepsUnmatchedProbe() {
		keep = dead // unmatched whichever partition joins them
	}
	for p, rows := range parts {
		part := r.g.parts[p]
		switch {
		case len(rows) == 0:
		case !part.spilled:
			keep = append(keep, rows...)
		case part.keys.rows == 0 && !r.g.keepsUnmatchedProbe():
			// no build rows: these probe rows cannot output anything
		default:
			sub, err := TakeRecord(rec, rows)
			if err != nil {
				return nil, evalFailed(err)
			}
			err = part.probe.write(sub)
			sub.Release()
			if err != nil {
				return nil, err
			}
		}
	}
	if len(keep) == 0 {
		return nil, nil
	}
	if len(keep) == int(rec.NumRows()) {
		rec.Retain()
		return rec, nil
	}
	return TakeRecord(rec, keep)
}

// keepsUnmatchedProbe: the join types that output probe rows without a
// match.
func (g *graceJoin) keepsUnmatchedProbe() bool {
	switch g.j.spec.Type {
	case logical.InnerJoin, logical.SemiJoin, logical.RightJoin:
		return false
	}
	return true
}

// nullExtended outputs build rows with NULL probe columns.
type nullExtended struct {
	schema *arrow.Schema
	probe  *arrow.Schema
	build  batch.Reader
}

func (n *nullExtended) Schema() *arrow.Schema { return n.schema }

func (n *nullExtended) Next(ctx context.Context) (arrow.RecordBatch, error) {
	rec, err := n.build.Next(ctx)
	if err != nil {
		return nil, err
	}
	defer rec.Release()
	rows := int(rec.NumRows())
	return recordOf(append(nullColumns(n.probe, rows), retained(rec.Columns())...), int64(rows)), nil
}

func (n *nullExtended) Close() error { return n.build.Close() }
