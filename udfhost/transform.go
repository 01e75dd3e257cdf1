package udfhost

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/metrics"
	"github.com/drover-etl/drover/operator"
	"github.com/drover-etl/drover/task"
	"github.com/drover-etl/drover/udf"
)

// OpenTransform implements operator.Transformer: one partition's run
// through a plugin transform, each call bounded by the call timeout and
// each output batch held to the declared schema out.
func (h *Host) OpenTransform(ctx context.Context, name string, args map[string]string, in, out *arrow.Schema) (operator.TransformStream, error) {
	p, fn, err := h.lookup(name)
	if err != nil {
		return nil, task.AsFatal(err)
	}
	inst, err := p.get(ctx)
	if err != nil {
		return nil, task.AsRetryable(err)
	}
	sctx, cancel := context.WithCancelCause(ctx)
	s := &stream{p: p, inst: inst, name: name, out: out, ctx: sctx, cancel: cancel}
	err = s.call(ctx, func() (err error) {
		s.s, err = inst.remote.OpenTransform(sctx, fn, in, args)
		return err
	})
	if err != nil {
		cancel(nil)
		return nil, err
	}
	return s, nil
}

type stream struct {
	p      *proc
	inst   *instance
	name   string
	out    *arrow.Schema
	s      udf.TransformStream
	ctx    context.Context
	cancel context.CancelCauseFunc
}

var _ operator.TransformStream = (*stream)(nil)

func (s *stream) Send(ctx context.Context, rec arrow.RecordBatch) error {
	return s.call(ctx, func() error { return s.s.Send(rec) })
}

func (s *stream) Next(ctx context.Context) (arrow.RecordBatch, error) {
	var rec arrow.RecordBatch
	err := s.call(ctx, func() (err error) {
		rec, err = s.s.Next()
		return err
	})
	if err != nil || rec == nil {
		return nil, err
	}
	if err := checkBatch(s.name, rec, s.out); err != nil {
		rec.Release()
		return nil, err
	}
	return rec, nil
}

func (s *stream) Close() error {
	if s.s != nil {
		s.s.Close()
	}
	s.cancel(nil)
	return nil
}

// call runs one step of the stream under the call timeout: the timer
// cancels the whole stream, which is of no use once a step has hung.
func (s *stream) call(ctx context.Context, step func() error) error {
	t := time.AfterFunc(s.p.cfg.callTimeout(), func() { s.cancel(errHung) })
	metrics.PluginCalls.WithLabelValues(s.p.name).Inc()
	err := step()
	t.Stop()
	if err != nil {
		return s.p.failed(ctx, s.ctx, s.inst, "transform "+s.name, err)
	}
	return nil
}

// checkBatch holds an output batch to the declared schema: names, types
// and, for columns declared not null, no nulls.
func checkBatch(name string, rec arrow.RecordBatch, want *arrow.Schema) error {
	got := rec.Schema()
	ok := got.NumFields() == want.NumFields()
	for i := 0; ok && i < want.NumFields(); i++ {
		g, w := got.Field(i), want.Field(i)
		ok = g.Name == w.Name && arrow.TypeEqual(g.Type, w.Type)
		if ok && !w.Nullable && rec.Column(i).NullN() > 0 {
			return task.AsFatal(fmt.Errorf("%w: transform %s returned nulls in column %q, declared not null", ErrContract, name, w.Name))
		}
	}
	if !ok {
		return task.AsFatal(fmt.Errorf("%w: transform %s returned a batch of (%s), but declared (%s) while planning",
			ErrContract, name, fieldList(got), fieldList(want)))
	}
	for i, col := range rec.Columns() {
		if err := checkUTF8("transform "+name, fmt.Sprintf("column %q, ", want.Field(i).Name), col); err != nil {
			return err
		}
	}
	return nil
}

func fieldList(s *arrow.Schema) string {
	parts := make([]string, s.NumFields())
	for i, f := range s.Fields() {
		parts[i] = f.Name + " " + f.Type.String()
	}
	return strings.Join(parts, ", ")
}
