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

// stageRead streams one partition from every map output of an upstream
// stage, in map order, through a fetcher that keeps several ranged GETs
// in flight. Map outputs that wrote nothing to the partition cost no
// request. A missing object is a fetch failure: the scheduler re-runs
// the map task that wrote it.
type stageRead struct {
	stage  int
	part   int
	outs   []task.MapOutput
	f      *fetcher
	piece  fetchItem
	rows   int64 // decoded from the current piece
	cur    batch.Reader
	schema *arrow.Schema
	env    *Env
}

func newStageRead(n *physical.Node, env *Env, part int) batch.Reader {
	if n.Read.Kind == physical.PartBroadcast || n.Read.Kind == physical.PartSingle {
		part = 0
	}
	return &stageRead{stage: n.Read.Stage, part: part, outs: env.Inputs[n.Read.Stage], schema: n.Schema.Arrow(), env: env}
}

func (s *stageRead) Schema() *arrow.Schema { return s.schema }

func (s *stageRead) Next(ctx context.Context) (arrow.RecordBatch, error) {
	if s.f == nil {
		s.f = newFetcher(ctx, s.stage, fetchItems(s.outs, s.part), s.env)
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

// fetchItems lists the map outputs holding rows of partition part, with
// each one's byte range when the map task reported its sizes.
func fetchItems(outs []task.MapOutput, part int) []fetchItem {
	var items []fetchItem
	for i, out := range outs {
		if part < len(out.Rows) && out.Rows[part] == 0 {
			continue
		}
		it := fetchItem{mapIdx: i, out: out, stream: part >= len(out.Bytes)}
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
		return true, fmt.Errorf("%s: partition %d: %w", p.item.out.URL, s.part, err)
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
	r, n, err := shuffle.OpenPartition(ctx, loc, s.part, s.schema)
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
	rows := s.piece.out.Rows
	if s.part < len(rows) && s.rows != rows[s.part] {
		return task.AsFatal(fmt.Errorf("%s: partition %d has %d rows, its map task reported %d", s.piece.out.URL, s.part, s.rows, rows[s.part]))
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
