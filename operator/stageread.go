package operator

import (
	"context"
	"errors"
	"io"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/shuffle"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/task"
)

// stageRead streams one partition from every map output of an upstream
// stage, one object after another. A missing object is a fetch failure:
// the scheduler re-runs the map task that wrote it.
type stageRead struct {
	stage  int
	part   int
	outs   []task.MapOutput
	next   int
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
	for {
		if s.cur == nil {
			if s.next >= len(s.outs) {
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
	i := s.next
	s.next++
	out := s.outs[i]
	if s.part < len(out.Rows) && out.Rows[s.part] == 0 {
		s.cur = batch.NewSliceReader(s.schema, nil)
		return nil
	}
	loc, err := storage.Resolve(ctx, out.URL)
	if err != nil {
		return task.AsFatal(err)
	}
	r, n, err := shuffle.OpenPartition(ctx, loc, s.part, s.schema)
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
