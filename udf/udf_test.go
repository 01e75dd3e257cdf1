package udf

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/hashicorp/go-plugin"
)

// testPlugin exercises every path of the protocol.
func testPlugin() *Plugin {
	return &Plugin{
		Scalars: map[string]Scalar{
			"upper": DeterministicScalar(StringFunc("upper-cases", strings.ToUpper)),
			"len":   StringToInt64("byte length", func(s string) int64 { return int64(len(s)) }),
			"fail":  &errScalar{err: errors.New("bad input in row 3")},
			"flaky": &errScalar{err: Retryable(errors.New("service busy"))},
			"sleep": &errScalar{sleep: true},
		},
		Transforms: map[string]Transform{
			"count": DeterministicTransform(countTransform{}),
		},
	}
}

// errScalar fails every call, or blocks until its context ends.
type errScalar struct {
	err   error
	sleep bool
}

func (e *errScalar) ResultType([]arrow.DataType) (arrow.DataType, error) {
	return arrow.PrimitiveTypes.Int64, nil
}

func (e *errScalar) Call(ctx context.Context, _ []arrow.Array, _ int) (arrow.Array, error) {
	if e.sleep {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return nil, e.err
}

// countTransform passes batches through, splitting each in two, and emits
// one batch with the total row count at the end.
type countTransform struct{}

func (countTransform) OutputSchema(in *arrow.Schema, args map[string]string) (*arrow.Schema, error) {
	if args["fail"] != "" {
		return nil, errors.New(args["fail"])
	}
	return in, nil
}

func (countTransform) Start(context.Context, *arrow.Schema, map[string]string) (TransformRun, error) {
	return &countRun{}, nil
}

type countRun struct{ rows int64 }

func (r *countRun) Batch(_ context.Context, rec arrow.RecordBatch, emit Emit) error {
	r.rows += rec.NumRows()
	half := rec.NumRows() / 2
	for _, part := range []arrow.RecordBatch{rec.NewSlice(0, half), rec.NewSlice(half, rec.NumRows())} {
		err := emit(part)
		part.Release()
		if err != nil {
			return err
		}
	}
	return nil
}

func (r *countRun) Finish(_ context.Context, emit Emit) error {
	b := array.NewInt64Builder(memory.DefaultAllocator)
	defer b.Release()
	b.Append(r.rows)
	col := b.NewArray()
	defer col.Release()
	rec := newRecord("n", []arrow.Array{col}, 1)
	defer rec.Release()
	return emit(rec)
}

// connect serves p through go-plugin's in-process gRPC harness and
// returns the executor's client.
func connect(t *testing.T, p *Plugin) *Client {
	t.Helper()
	// Closing the client stops the server too (go-plugin's controller);
	// stopping it here as well would race with that.
	client, _ := plugin.TestPluginGRPCConn(t, false, map[string]plugin.Plugin{PluginName: &GRPCPlugin{Impl: p}})
	t.Cleanup(func() { client.Close() })
	raw, err := client.Dispense(PluginName)
	if err != nil {
		t.Fatal(err)
	}
	return raw.(*Client)
}

func strings1(vals ...string) arrow.Array {
	b := array.NewStringBuilder(memory.DefaultAllocator)
	defer b.Release()
	for _, v := range vals {
		if v == "<null>" {
			b.AppendNull()
			continue
		}
		b.Append(v)
	}
	return b.NewArray()
}

func TestDescribeAndResolve(t *testing.T) {
	c := connect(t, testPlugin())
	ctx := context.Background()
	fns, err := c.Describe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(fns) != 6 || fns[0].Name != "count" || !fns[0].Transform || fns[5].Name != "upper" || fns[5].Doc != "upper-cases" {
		t.Errorf("describe = %+v", fns)
	}
	// Declared deterministic: upper and count; undeclared: the others.
	for _, f := range fns {
		if want := f.Name == "upper" || f.Name == "count"; f.Deterministic != want {
			t.Errorf("%s: deterministic %v, want %v", f.Name, f.Deterministic, want)
		}
	}
	got, err := c.ResolveScalar(ctx, "len", []arrow.DataType{arrow.BinaryTypes.String})
	if err != nil || !arrow.TypeEqual(got, arrow.PrimitiveTypes.Int64) {
		t.Errorf("resolve len(utf8) = %v, %v", got, err)
	}
	_, err = c.ResolveScalar(ctx, "len", []arrow.DataType{arrow.PrimitiveTypes.Int64})
	if !errors.Is(err, ErrRejected) || !strings.Contains(err.Error(), "want one string argument, got (int64)") {
		t.Errorf("resolve len(int64): %v", err)
	}
	_, err = c.ResolveScalar(ctx, "count", nil)
	if !errors.Is(err, ErrUnknownFunction) || !strings.Contains(err.Error(), "is a transform") {
		t.Errorf("resolve a transform as scalar: %v", err)
	}
	in := arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.BinaryTypes.String}}, nil)
	out, err := c.ResolveTransform(ctx, "count", in, nil)
	if err != nil || !out.Equal(in) {
		t.Errorf("resolve transform = %v, %v", out, err)
	}
	if _, err := c.ResolveTransform(ctx, "count", in, map[string]string{"fail": "no such column"}); !errors.Is(err, ErrRejected) {
		t.Errorf("rejected args: %v", err)
	}
}

func TestCallScalar(t *testing.T) {
	c := connect(t, testPlugin())
	in := strings1("a", "<null>", "é")
	defer in.Release()
	out, err := c.CallScalar(context.Background(), "upper", []arrow.Array{in}, 3)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Release()
	if out.String() != `["A" (null) "É"]` {
		t.Errorf("upper = %s", out)
	}
}

// TestLargeBatches sends a batch far over gRPC's default 4 MiB limit,
// which the test harness's server keeps: inline it only gets through
// because the client splits it; through shared memory it needs no split.
func TestLargeBatches(t *testing.T) {
	for _, mode := range []string{"off", "on"} {
		t.Run("shared memory "+mode, func(t *testing.T) {
			t.Setenv("DROVER_UDF_SHARED_MEMORY", mode)
			c := connect(t, testPlugin())
			if c.sharedMemoryOK() != (mode == "on" && sharedMemory) {
				t.Fatalf("shared memory in use: %v", c.sharedMemoryOK())
			}
			// A small call first: the large one then needs a larger
			// region on the same pooled stream.
			in := strings1("x")
			defer in.Release()
			out, err := c.CallScalar(context.Background(), "len", []arrow.Array{in}, 1)
			if err != nil {
				t.Fatal(err)
			}
			out.Release()
			largeBatch(t, c)
		})
	}
}

func largeBatch(t *testing.T, c *Client) {
	const n = 300_000
	b := array.NewStringBuilder(memory.DefaultAllocator)
	for i := 0; i < n; i++ {
		b.Append(fmt.Sprintf("row %08d ..........", i))
	}
	in := b.NewArray()
	b.Release()
	defer in.Release()
	out, err := c.CallScalar(context.Background(), "len", []arrow.Array{in}, n)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Release()
	lens := out.(*array.Int64)
	if lens.Len() != n || lens.Value(0) != 23 || lens.Value(n-1) != 23 {
		t.Errorf("got %d values, first %d", lens.Len(), lens.Value(0))
	}
}

func TestScalarErrors(t *testing.T) {
	c := connect(t, testPlugin())
	in := strings1("x")
	defer in.Release()
	ctx := context.Background()
	_, err := c.CallScalar(ctx, "fail", []arrow.Array{in}, 1)
	if !errors.Is(err, ErrFailed) || !strings.Contains(err.Error(), "fail: bad input in row 3") {
		t.Errorf("fail: %v", err)
	}
	if _, err = c.CallScalar(ctx, "flaky", []arrow.Array{in}, 1); !errors.Is(err, ErrUnavailable) {
		t.Errorf("flaky: %v", err)
	}
	if _, err = c.CallScalar(ctx, "nope", []arrow.Array{in}, 1); !errors.Is(err, ErrUnknownFunction) {
		t.Errorf("nope: %v", err)
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err = c.CallScalar(short, "sleep", []arrow.Array{in}, 1); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("sleep: %v", err)
	}
	// The failed streams were dropped; new calls work.
	out, err := c.CallScalar(ctx, "upper", []arrow.Array{in}, 1)
	if err != nil {
		t.Fatal(err)
	}
	out.Release()
}

func TestTransformStream(t *testing.T) {
	c := connect(t, testPlugin())
	in := strings1("a", "b", "c", "d")
	defer in.Release()
	rec := newRecord("x", []arrow.Array{in}, 4)
	defer rec.Release()
	s, err := c.OpenTransform(context.Background(), "count", rec.Schema(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var got []string
	drain := func() {
		for {
			out, err := s.Next()
			if err != nil {
				t.Fatal(err)
			}
			if out == nil {
				return
			}
			got = append(got, fmt.Sprint(out.NumRows()))
			out.Release()
		}
	}
	for range 2 {
		if err := s.Send(rec); err != nil {
			t.Fatal(err)
		}
		drain()
	}
	if err := s.Send(nil); err != nil {
		t.Fatal(err)
	}
	drain()
	if strings.Join(got, ",") != "2,2,2,2,1" {
		t.Errorf("output batch sizes = %v", got)
	}
}

func TestTransformUnknown(t *testing.T) {
	c := connect(t, testPlugin())
	s, err := c.OpenTransform(context.Background(), "upper", arrow.NewSchema(nil, nil), nil)
	if err == nil {
		// open has no reply of its own: the failure comes with the next.
		if err = s.Send(nil); err == nil {
			_, err = s.Next()
		}
		s.Close()
	}
	if !errors.Is(err, ErrUnknownFunction) {
		t.Errorf("open a scalar as transform: %v", err)
	}
}

func TestValidate(t *testing.T) {
	for _, p := range []*Plugin{
		{},
		{Scalars: map[string]Scalar{"Upper": StringFunc("", strings.ToUpper)}},
		{Scalars: map[string]Scalar{"a.b": StringFunc("", strings.ToUpper)}},
		{Scalars: map[string]Scalar{"x": StringFunc("", strings.ToUpper)}, Transforms: map[string]Transform{"x": countTransform{}}},
	} {
		if p.Validate() == nil {
			t.Errorf("%+v validated", p)
		}
	}
}

func TestIPCRoundTripOfSlices(t *testing.T) {
	in := strings1("alpha", "<null>", "gamma", "delta")
	defer in.Release()
	rec := newRecord("a", []arrow.Array{in}, 4)
	defer rec.Release()
	sl := rec.NewSlice(1, 3)
	defer sl.Release()
	b, err := EncodeBatch(sl)
	if err != nil {
		t.Fatal(err)
	}
	out, err := DecodeBatch(b)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Release()
	if out.NumRows() != 2 || out.Column(0).String() != `[(null) "gamma"]` {
		t.Errorf("decoded %v", out)
	}
	if _, err := DecodeBatch(b[:len(b)/2]); !errors.Is(err, ErrProtocol) {
		t.Errorf("truncated stream: %v", err)
	}
}
