package udf

import (
	"context"
	"fmt"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"google.golang.org/grpc"

	pb "github.com/drover-etl/drover/udf/proto"
)

// MaxMessageBytes bounds the batches the client sends: larger ones are
// split by rows. It stays under gRPC's default 4 MiB receive limit, so a
// plugin server in any language works without settings, and a split costs
// one round trip per ~3 MiB, which is noise.
const MaxMessageBytes = 3 << 20

// Client is the executor's side of the protocol over a gRPC connection.
type Client struct {
	rpc pb.UDFClient
	// life is done when the plugin process is gone (go-plugin cancels the
	// context it hands to GRPCClient); every stream derives from it.
	life context.Context

	mu   sync.Mutex
	idle []*scalarStream
}

var _ Remote = (*Client)(nil)

// NewClient returns a client over conn; life ends every open stream when
// it is done.
func NewClient(life context.Context, conn grpc.ClientConnInterface) *Client {
	return &Client{rpc: pb.NewUDFClient(conn), life: life}
}

// Close ends the idle scalar streams.
func (c *Client) Close() error {
	c.mu.Lock()
	idle := c.idle
	c.idle = nil
	c.mu.Unlock()
	for _, s := range idle {
		s.cancel()
	}
	return nil
}

func (c *Client) Describe(ctx context.Context) ([]FunctionInfo, error) {
	resp, err := c.rpc.Describe(ctx, &pb.DescribeRequest{})
	if err != nil {
		return nil, fromStatus(ctx, err)
	}
	out := make([]FunctionInfo, len(resp.Functions))
	for i, f := range resp.Functions {
		out[i] = FunctionInfo{Name: f.Name, Transform: f.Kind == pb.Kind_KIND_TRANSFORM, Doc: f.Doc}
	}
	return out, nil
}

func (c *Client) ResolveScalar(ctx context.Context, name string, args []arrow.DataType) (arrow.DataType, error) {
	fields := make([]arrow.Field, len(args))
	for i, t := range args {
		fields[i] = arrow.Field{Name: fmt.Sprintf("a%d", i), Type: t, Nullable: true}
	}
	b, err := EncodeSchema(arrow.NewSchema(fields, nil))
	if err != nil {
		return nil, err
	}
	resp, err := c.rpc.ResolveScalar(ctx, &pb.ResolveScalarRequest{Function: name, ArgSchema: b})
	if err != nil {
		return nil, fromStatus(ctx, err)
	}
	s, err := DecodeSchema(resp.ResultSchema)
	if err != nil {
		return nil, err
	}
	if s.NumFields() != 1 {
		return nil, fmt.Errorf("%w: %s: result schema has %d fields, want 1", ErrProtocol, name, s.NumFields())
	}
	return s.Field(0).Type, nil
}

func (c *Client) ResolveTransform(ctx context.Context, name string, in *arrow.Schema, args map[string]string) (*arrow.Schema, error) {
	b, err := EncodeSchema(in)
	if err != nil {
		return nil, err
	}
	resp, err := c.rpc.ResolveTransform(ctx, &pb.ResolveTransformRequest{Function: name, Args: args, InputSchema: b})
	if err != nil {
		return nil, fromStatus(ctx, err)
	}
	return DecodeSchema(resp.OutputSchema)
}

// CallScalar sends the arguments (split if large) on a pooled stream and
// reads the result back.
func (c *Client) CallScalar(ctx context.Context, name string, args []arrow.Array, rows int) (arrow.Array, error) {
	rec := newRecord("a", args, rows)
	defer rec.Release()
	parts := chunks(rec, MaxMessageBytes)
	defer releaseRecords(parts)
	outs := make([]arrow.Array, 0, len(parts))
	defer func() { releaseArrays(outs) }()
	for _, p := range parts {
		out, err := c.callOne(ctx, name, p)
		if err != nil {
			return nil, err
		}
		outs = append(outs, out)
	}
	if len(outs) == 1 {
		outs[0].Retain()
		return outs[0], nil
	}
	out, err := array.Concatenate(outs, memory.DefaultAllocator)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: results of different types: %w", ErrProtocol, name, err)
	}
	return out, nil
}

func (c *Client) callOne(ctx context.Context, name string, rec arrow.RecordBatch) (arrow.Array, error) {
	b, err := EncodeBatch(rec)
	if err != nil {
		return nil, err
	}
	st, err := c.stream()
	if err != nil {
		return nil, fromStatus(ctx, err)
	}
	// The caller's context (with its deadline) ends the stream, not just
	// the wait: a plugin stuck in one call must not hold a stream forever.
	stop := context.AfterFunc(ctx, st.cancel)
	resp, err := st.roundTrip(&pb.ScalarRequest{Function: name, Args: b, Rows: rec.NumRows()})
	if stop() && err == nil {
		c.put(st)
	} else {
		st.cancel()
	}
	if err != nil {
		return nil, fromStatus(ctx, err)
	}
	return resultColumn(name, resp.Result)
}

func resultColumn(name string, b []byte) (arrow.Array, error) {
	out, err := DecodeBatch(b)
	if err != nil {
		return nil, err
	}
	defer out.Release()
	if out.NumCols() != 1 {
		return nil, fmt.Errorf("%w: %s returned %d columns, want 1", ErrProtocol, name, out.NumCols())
	}
	col := out.Column(0)
	col.Retain()
	return col, nil
}

// scalarStream is one Scalar stream, used by one call at a time.
type scalarStream struct {
	s      pb.UDF_ScalarClient
	cancel context.CancelFunc
}

func (s *scalarStream) roundTrip(req *pb.ScalarRequest) (*pb.ScalarResponse, error) {
	if err := s.s.Send(req); err != nil {
		// A failed Send hides the status; Recv reports it.
		if _, rerr := s.s.Recv(); rerr != nil {
			return nil, rerr
		}
		return nil, err
	}
	return s.s.Recv()
}

// stream takes an idle stream or opens one.
func (c *Client) stream() (*scalarStream, error) {
	c.mu.Lock()
	if n := len(c.idle); n > 0 {
		s := c.idle[n-1]
		c.idle = c.idle[:n-1]
		c.mu.Unlock()
		return s, nil
	}
	c.mu.Unlock()
	ctx, cancel := context.WithCancel(c.life)
	s, err := c.rpc.Scalar(ctx)
	if err != nil {
		cancel()
		return nil, err
	}
	return &scalarStream{s: s, cancel: cancel}, nil
}

func (c *Client) put(s *scalarStream) {
	c.mu.Lock()
	c.idle = append(c.idle, s)
	c.mu.Unlock()
}

func releaseRecords(recs []arrow.RecordBatch) {
	for _, r := range recs {
		r.Release()
	}
}

func releaseArrays(as []arrow.Array) {
	for _, a := range as {
		a.Release()
	}
}
