package udf

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Helpers for the common shapes of plugin functions. The protocol is per
// batch; inside the plugin a Go call per row costs nanoseconds, so a row
// function is a fine way to write most scalars.

// StringFunc is a scalar of one string argument returning a string, NULL
// for NULL.
func StringFunc(doc string, fn func(string) string) Scalar {
	return &stringScalar{doc: doc, result: arrow.BinaryTypes.String, call: func(in *array.String) arrow.Array {
		b := array.NewStringBuilder(memory.DefaultAllocator)
		defer b.Release()
		b.Reserve(in.Len())
		b.ReserveData(len(in.ValueBytes()))
		for i := 0; i < in.Len(); i++ {
			if in.IsNull(i) {
				b.AppendNull()
				continue
			}
			b.Append(fn(in.Value(i)))
		}
		return b.NewArray()
	}}
}

// StringToInt64 is a scalar of one string argument returning an int64,
// NULL for NULL.
func StringToInt64(doc string, fn func(string) int64) Scalar {
	return &stringScalar{doc: doc, result: arrow.PrimitiveTypes.Int64, call: func(in *array.String) arrow.Array {
		b := array.NewInt64Builder(memory.DefaultAllocator)
		defer b.Release()
		b.Reserve(in.Len())
		for i := 0; i < in.Len(); i++ {
			if in.IsNull(i) {
				b.AppendNull()
				continue
			}
			b.UnsafeAppend(fn(in.Value(i)))
		}
		return b.NewArray()
	}}
}

type stringScalar struct {
	doc    string
	result arrow.DataType
	call   func(*array.String) arrow.Array
}

var _ Scalar = (*stringScalar)(nil)

func (s *stringScalar) Doc() string { return s.doc }

func (s *stringScalar) ResultType(args []arrow.DataType) (arrow.DataType, error) {
	if len(args) != 1 || args[0].ID() != arrow.STRING {
		return nil, fmt.Errorf("want one string argument, got %s", typeList(args))
	}
	return s.result, nil
}

func (s *stringScalar) Call(_ context.Context, args []arrow.Array, _ int) (arrow.Array, error) {
	in, ok := args[0].(*array.String)
	if !ok {
		return nil, fmt.Errorf("%w: argument is %s, not string", ErrRejected, args[0].DataType())
	}
	return s.call(in), nil
}

func typeList(ts []arrow.DataType) string {
	s := "("
	for i, t := range ts {
		if i > 0 {
			s += ", "
		}
		s += t.String()
	}
	return s + ")"
}

// MapTransform is a transform that turns each input batch into exactly one
// output batch, keeping no state between batches.
type MapTransform struct {
	// Summary is the one-line description Describe shows.
	Summary string
	// Schema declares the output schema (see Transform.OutputSchema).
	Schema func(in *arrow.Schema, args map[string]string) (*arrow.Schema, error)
	// Map turns one input batch into one output batch of Schema's schema.
	Map func(ctx context.Context, rec arrow.RecordBatch, args map[string]string) (arrow.RecordBatch, error)
}

var _ Transform = (*MapTransform)(nil)

func (m *MapTransform) Doc() string { return m.Summary }

func (m *MapTransform) OutputSchema(in *arrow.Schema, args map[string]string) (*arrow.Schema, error) {
	return m.Schema(in, args)
}

func (m *MapTransform) Start(_ context.Context, _ *arrow.Schema, args map[string]string) (TransformRun, error) {
	return &mapRun{m: m, args: args}, nil
}

type mapRun struct {
	m    *MapTransform
	args map[string]string
}

func (r *mapRun) Batch(ctx context.Context, rec arrow.RecordBatch, emit Emit) error {
	out, err := r.m.Map(ctx, rec, r.args)
	if err != nil {
		return err
	}
	defer out.Release()
	return emit(out)
}

func (r *mapRun) Finish(context.Context, Emit) error { return nil }
