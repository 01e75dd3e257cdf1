package udf

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
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

	shmOnce sync.Once
	shm     bool // scalar batches go through shared memory
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
		s.close()
	}
	return nil
}

// sharedMemoryOK reports whether scalar batches may go through shared
// memory: the platform has it, the plugin offers it (asked once), and
// DROVER_UDF_SHARED_MEMORY is not "off" (for comparing, or for a /dev/shm
// too small to be worth trying).
func (c *Client) sharedMemoryOK() bool {
	c.shmOnce.Do(func() {
		if !sharedMemory || os.Getenv("DROVER_UDF_SHARED_MEMORY") == "off" {
			return
		}
		ctx, cancel := context.WithTimeout(c.life, 30*time.Second)
		defer cancel()
		resp, err := c.rpc.Describe(ctx, &pb.DescribeRequest{})
		c.shm = err == nil && resp.SharedMemory
	})
	return c.shm
}

func (c *Client) Describe(ctx context.Context) ([]FunctionInfo, error) {
	resp, err := c.rpc.Describe(ctx, &pb.DescribeRequest{})
	if err != nil {
		return nil, fromStatus(ctx, err)
	}
	out := make([]FunctionInfo, len(resp.Functions))
	for i, f := range resp.Functions {
		out[i] = FunctionInfo{Name: f.Name, Transform: f.Kind == pb.Kind_KIND_TRANSFORM, Doc: f.Doc, Deterministic: f.Deterministic}
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
