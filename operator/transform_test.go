package operator

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/types"
)

// twice is a fake plugin transform: every input batch comes back twice,
// and at the end one batch with the number of batches seen. It records
// what it was sent, to check the operator streams (one batch out at a
// time) and shows the plugin plain, properly named columns.
type twice struct {
	seen    []string // schema of each batch sent
	pending []arrow.RecordBatch
	batches int64
	ahead   int // most batches sent before their output was read
	closed  bool
}

func (t *twice) OpenTransform(_ context.Context, name string, args map[string]string, in, out *arrow.Schema) (TransformStream, error) {
	if name != "kit.twice" || args["n"] != "2" {
		return nil, fmt.Errorf("unexpected call %s %v", name, args)
	}
	return t, nil
}

func (t *twice) Send(_ context.Context, rec arrow.RecordBatch) error {
	if len(t.pending) > 0 {
		t.ahead++
	}
	if rec == nil {
		t.pending = append(t.pending, int64Batch(int64Schema("x"), ints(t.batches)))
		return nil
	}
	t.batches++
	t.seen = append(t.seen, rec.Schema().String())
	rec.Retain()
	rec.Retain()
	t.pending = append(t.pending, rec, rec)
	return nil
}

func (t *twice) Next(context.Context) (arrow.RecordBatch, error) {
	if len(t.pending) == 0 {
		return nil, nil
	}
	rec := t.pending[0]
	t.pending = t.pending[1:]
	return rec, nil
}

func (t *twice) Close() error {
	t.closed = true
	return nil
}

func TestTransformStreamsBatchesThroughThePlugin(t *testing.T) {
	schema := int64Schema("x")
	in := source(schema, int64Batch(schema, ints(1, 2)), int64Batch(schema, ints(3)))
	n := &physical.Node{Op: physical.OpTransform, Inputs: []*physical.Node{{Schema: schema}}, Schema: schema,
		Transform: &physical.TransformSpec{Function: "kit.twice", Args: map[string]string{"n": "2"}}}
	fake := &twice{}
	op, err := newTransform(n, in, &Env{Transforms: fake})
	if err != nil {
		t.Fatal(err)
	}
	got := rows(t, op)
	if strings.Join(got, " ") != "1 2 1 2 3 3 2" {
		t.Errorf("rows = %v", got)
	}
	if fake.ahead != 0 || !fake.closed {
		t.Errorf("sent %d batches ahead of their output; closed %v", fake.ahead, fake.closed)
	}
	if len(fake.seen) != 2 || fake.seen[0] != "schema:\n  fields: 1\n    - x: type=int64, nullable" {
		t.Errorf("the plugin saw %q", fake.seen)
	}
}

// TestTransformGetsPlainNamedColumns: operators name columns c0, c1 and
// keep strings as dictionaries; the plugin gets what it planned with.
func TestTransformGetsPlainNamedColumns(t *testing.T) {
	schema := &types.Schema{Fields: []types.Field{{Name: "note", Type: types.StringType, Nullable: true}}}
	b := array.NewDictionaryBuilder(mem, &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}).(*array.BinaryDictionaryBuilder)
	b.AppendString("gift")
	b.AppendString("gift")
	dict := b.NewArray()
	b.Release()
	rec := array.NewRecordBatch(arrow.NewSchema([]arrow.Field{{Name: "c0", Type: dict.DataType(), Nullable: true}}, nil), []arrow.Array{dict}, 2)
	dict.Release()
	n := &physical.Node{Op: physical.OpTransform, Inputs: []*physical.Node{{Schema: schema}}, Schema: int64Schema("x"),
		Transform: &physical.TransformSpec{Function: "kit.twice", Args: map[string]string{"n": "2"}}}
	fake := &twice{}
	op, err := newTransform(n, source(schema, rec), &Env{Transforms: fake})
	if err != nil {
		t.Fatal(err)
	}
	rows(t, op)
	rec.Release()
	if len(fake.seen) != 1 || !strings.Contains(fake.seen[0], "note: type=utf8") {
		t.Errorf("the plugin saw %q", fake.seen)
	}
}

func TestTransformWithoutPluginsIsFatal(t *testing.T) {
	schema := int64Schema("x")
	n := &physical.Node{Op: physical.OpTransform, Inputs: []*physical.Node{{Schema: schema}}, Schema: schema,
		Transform: &physical.TransformSpec{Function: "kit.twice"}}
	if _, err := newTransform(n, source(schema), &Env{}); !errors.Is(err, ErrNoTransformer) {
		t.Errorf("got %v", err)
	}
}
