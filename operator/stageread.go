package operator

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/shuffle"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/task"
)

// stageRead streams partitions of map outputs of an upstream stage, one
// (map output, partition) piece after another: by default one partition
// from every map output; an adaptive task's ReadRange picks a run of
// partitions from a run of map outputs. A missing object is a fetch
// failure: the scheduler re-runs the map task that wrote it.
type stageRead struct {
	stage  int
	pieces [][2]int // (map index, partition) in read order
	outs   []task.MapOutput
	next   int
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
	for {
		if s.cur == nil {
			if s.next >= len(s.pieces) {
				return nil, io.EOF
			}
			if err := s.open(ctx); err != nil {
				return nil, err
			}
		}
		rec, err := s.cur.Next(ctx)
		if err == io.EOF {
			s.cur.Close()
			s.cur = nil
			continue
		}
		if err != nil {
			return nil, err
		}
		s.env.RowsIn.Add(rec.NumRows())
		return rec, nil
	}
}

func (s *stageRead) open(ctx context.Context) error {
	i, part := s.pieces[s.next][0], s.pieces[s.next][1]
	s.next++
	out := s.outs[i]
	if part < len(out.Rows) && out.Rows[part] == 0 {
		s.cur = batch.NewSliceReader(s.schema, nil)
		return nil
	}
	loc, err := storage.Resolve(ctx, out.URL)
	if err != nil {
		return task.AsFatal(err)
	}
	r, n, err := shuffle.OpenPartition(ctx, loc, part, s.schema)
	if err != nil {
		if errors.Is(err, storage.ErrNotExist) {
			return task.FetchFailure(s.stage, i, err)
		}
		return err
	}
	s.env.BytesRead.Add(n)
	s.env.ShuffleBytesRead.Add(n)
	s.cur = r
	return nil
}

func (s *stageRead) Close() error {
	if s.cur != nil {
		s.cur.Close()
		s.cur = nil
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
