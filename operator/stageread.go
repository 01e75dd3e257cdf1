package operator

import (
	"context"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/shuffle"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/task"
)

// stageRead streams (map output, partition) pieces of an upstream stage,
// in map order, through a fetcher that keeps several ranged GETs in
// flight: by default one partition from every map output; an adaptive
// task's ReadRange picks a run of partitions from a run of map outputs.
// Pieces that hold no rows cost no request. A missing object is a fetch
// failure: the scheduler re-runs the map task that wrote it.
type stageRead struct {
	stage  int
	pieces [][2]int // (map index, partition) in read order
	outs   []task.MapOutput
	f      *fetcher
	piece  fetchItem
	rows   int64 // decoded from the current piece
	cur    batch.Reader
	schema *arrow.Schema
	env    *Env
}

func newStageRead(n *physical.Node, env *Env, part int) (batch.Reader, error) {
	outs := env.Inputs[n.Read.Stage]
	r := task.ReadRange{PartStart: part, PartEnd: part + 1, MapStart: 0, MapEnd: len(outs)}
	if n.Read.Kind == physical.PartBroadcast || n.Read.Kind == physical.PartSingle {
		r.PartStart, r.PartEnd = 0, 1
	}
	if rr, ok := env.Reads[n.Read.Stage]; ok {
		if rr.MapStart < 0 || rr.MapEnd > len(outs) || rr.MapStart > rr.MapEnd || rr.PartStart < 0 || rr.PartStart > rr.PartEnd {
			return nil, task.AsFatal(fmt.Errorf("stage read %d: range %+v outside %d map outputs", n.Read.Stage, rr, len(outs)))
		}
		r = rr
	}
	var pieces [][2]int
	for m := r.MapStart; m < r.MapEnd; m++ {
		for p := r.PartStart; p < r.PartEnd; p++ {
			pieces = append(pieces, [2]int{m, p})
		}
	}
	return &stageRead{stage: n.Read.Stage, pieces: pieces, outs: outs, schema: n.Schema.Arrow(), env: env}, nil
}

func (s *stageRead) Schema() *arrow.Schema { return s.schema }

func (s *stageRead) Next(ctx context.Context) (arrow.RecordBatch, error) {
	if s.f == nil {
		s.f = newFetcher(ctx, s.stage, fetchItems(s.outs, s.pieces), s.env)
	}
	for {
		if s.cur == nil {
			done, err := s.open(ctx)
			if err != nil {
				return nil, err
			}
			if done {
				return nil, io.EOF
			}
		}
		rec, err := s.cur.Next(ctx)
		if err == io.EOF {
			err = s.checkRows()
			s.closePiece()
			if err != nil {
				return nil, err
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		s.rows += rec.NumRows()
		s.env.RowsIn.Add(rec.NumRows())
		return rec, nil
	}
}

// fetchItems lists the pieces that hold rows, with each one's byte range
// when the map task reported its sizes.
func fetchItems(outs []task.MapOutput, pieces [][2]int) []fetchItem {
	var items []fetchItem
	for _, pc := range pieces {
		i, part := pc[0], pc[1]
		out := outs[i]
		if part < len(out.Rows) && out.Rows[part] == 0 {
			continue
		}
		it := fetchItem{mapIdx: i, part: part, out: out, stream: part >= len(out.Bytes)}
		if !it.stream {
			it.off, it.n = shuffle.PartitionRange(out.Bytes, part)
			if it.n == 0 {
				continue
			}
		}
		items = append(items, it)
	}
	return items
}

// open makes the next piece current; done when none is left.
func (s *stageRead) open(ctx context.Context) (done bool, err error) {
	p, ok, err := s.f.next(ctx)
	if !ok || err != nil {
		return true, err
	}
	s.piece = p.item
	if p.item.stream {
		return false, s.openStream(ctx, p.item)
	}
	var r fetchResult
	select {
	case r = <-p.done:
	case <-ctx.Done():
		return true, ctx.Err()
	}
	if r.err != nil {
		s.f.release(p.item)
		return true, r.err
	}
	s.cur, err = shuffle.DecodePartition(r.buf, s.schema)
	if err != nil {
		s.f.release(p.item)
		return true, fmt.Errorf("%s: partition %d: %w", p.item.out.URL, p.item.part, err)
	}
	s.countBytes(p.item.n)
	return false, nil
}

// openStream reads a piece too big for the fetch window (or of unknown
// layout) by range as it is decoded, through the object's footer.
func (s *stageRead) openStream(ctx context.Context, it fetchItem) error {
	loc, err := storage.Resolve(ctx, it.out.URL)
	if err != nil {
		return task.AsFatal(err)
	}
	r, n, err := shuffle.OpenPartition(ctx, loc, it.part, s.schema)
	if err != nil {
		return fetchErr(s.stage, it.mapIdx, err)
	}
	s.countBytes(n)
	s.cur = r
	return nil
}

// checkRows holds a finished piece to the row count its map task
// reported: a piece read from the wrong place must fail, not feed the
// reducer another partition's rows.
func (s *stageRead) checkRows() error {
	rows, part := s.piece.out.Rows, s.piece.part
	if part < len(rows) && s.rows != rows[part] {
		return task.AsFatal(fmt.Errorf("%s: partition %d has %d rows, its map task reported %d", s.piece.out.URL, part, s.rows, rows[part]))
	}
	return nil
}

func (s *stageRead) countBytes(n int64) {
	s.env.BytesRead.Add(n)
	s.env.ShuffleBytesRead.Add(n)
}

func (s *stageRead) closePiece() {
	s.cur.Close()
	s.cur, s.rows = nil, 0
	s.f.release(s.piece)
}

func (s *stageRead) Close() error {
	if s.cur != nil {
		s.closePiece()
	}
	if s.f != nil {
		s.f.close()
		s.f = nil
	}
	return nil
}

// renamed relabels a reader's schema (union inputs share the first input's
// column names).
type renamed struct {
	batch.Reader
	schema *arrow.Schema
}

func (r *renamed) Schema() *arrow.Schema { return r.schema }
