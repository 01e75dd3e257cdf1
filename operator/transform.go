package operator

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/drover-etl/drover/batch"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/task"
)

// Transformer runs plugin batch transforms. The UDF host implements it;
// the operator sees plugins only through this interface.
type Transformer interface {
	// OpenTransform starts one run of transform name over batches of
	// schema in; every batch the run returns must have schema out (the
	// output the plugin declared while planning). Errors carry their task
	// class.
	OpenTransform(ctx context.Context, name string, args map[string]string, in, out *arrow.Schema) (TransformStream, error)
}

// TransformStream is one partition's run through a transform.
type TransformStream interface {
	// Send passes one input batch (the stream does not take ownership),
	// or nil at the end of the input.
	Send(ctx context.Context, rec arrow.RecordBatch) error
	// Next returns the next output batch for the last Send, or nil when
	// there is no more for it. The caller releases the batch.
	Next(ctx context.Context) (arrow.RecordBatch, error)
	// Close ends the run, early or not.
	Close() error
}

// ErrNoTransformer: a plan with a transform ran where no plugins are.
var ErrNoTransformer = errors.New("plugin transform called but no plugin runtime configured")

// transform streams its input through a plugin: one input batch out, its
// output batches in, and so on; nothing is collected. The run opens on
// the first Next, whose context bounds it.
type transform struct {
	in       batch.Reader
	spec     *physical.TransformSpec
	inSchema *arrow.Schema
	schema   *arrow.Schema
	env      *Env
	stream   TransformStream
	finished bool // the end of the input was sent
}

func newTransform(n *physical.Node, in batch.Reader, env *Env) (batch.Reader, error) {
	if env.Transforms == nil {
		return nil, task.AsFatal(fmt.Errorf("transform %s: %w", n.Transform.Function, ErrNoTransformer))
	}
	return &transform{in: in, spec: n.Transform, inSchema: n.Inputs[0].Schema.Arrow(), schema: n.Schema.Arrow(), env: env}, nil
}

func (t *transform) Schema() *arrow.Schema { return t.schema }

func (t *transform) Next(ctx context.Context) (arrow.RecordBatch, error) {
	if t.stream == nil {
		s, err := t.env.Transforms.OpenTransform(ctx, t.spec.Function, t.spec.Args, t.inSchema, t.schema)
		if err != nil {
			return nil, err
		}
		t.stream = s
	}
	for {
		out, err := t.stream.Next(ctx)
		if err != nil || out != nil {
			return out, err
		}
		if t.finished {
			return nil, io.EOF
		}
		if err := t.feed(ctx); err != nil {
			return nil, err
		}
	}
}

// feed sends the next input batch, or the end of the input.
func (t *transform) feed(ctx context.Context) error {
	rec, err := t.in.Next(ctx)
	if err == io.EOF {
		t.finished = true
		return t.stream.Send(ctx, nil)
	}
	if err != nil {
		return err
	}
	// The plugin gets the schema it was planned with: real column names
	// (operators name columns c0, c1, ...) and no dictionaries.
	plain, err := normalize(rec, t.inSchema)
	rec.Release()
	if err != nil {
		return task.AsFatal(err)
	}
	defer plain.Release()
	return t.stream.Send(ctx, plain)
}

func (t *transform) Close() error {
	if t.stream != nil {
		t.stream.Close()
		t.stream = nil
	}
	return t.in.Close()
}
