package udf

import (
	"context"
	"math"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	pb "github.com/drover-etl/drover/udf/proto"
)

// GRPCPlugin is the go-plugin glue: on the plugin's side it registers the
// UDF service for Impl; on the executor's side it returns a *Client.
type GRPCPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	// Impl is the plugin being served (nil on the executor's side).
	Impl *Plugin
}

var _ plugin.GRPCPlugin = (*GRPCPlugin)(nil)

func (p *GRPCPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	pb.RegisterUDFServer(s, newServer(p.Impl))
	return nil
}

// GRPCClient returns a *Client; ctx ends when the plugin process exits.
func (p *GRPCPlugin) GRPCClient(ctx context.Context, _ *plugin.GRPCBroker, conn *grpc.ClientConn) (any, error) {
	return NewClient(ctx, conn), nil
}

// Flow-control windows and socket buffers for both ends. gRPC's defaults
// (64 KiB windows grown by bandwidth probing, 32 KiB buffers) suit many
// small messages across a network; a batch protocol on a local socket
// moves megabytes per message: a window that size lets one go without
// waiting for window updates, and buffers that size cut the system calls
// per message from dozens to a few.
const (
	window = 16 << 20
	buffer = 1 << 20
)

// ServerOptions are the gRPC server options Serve uses: replies of any
// size (a function may return more bytes than it got) and large windows.
func ServerOptions() []grpc.ServerOption {
	return []grpc.ServerOption{
		codecServerOption(),
		grpc.MaxRecvMsgSize(math.MaxInt32),
		grpc.MaxSendMsgSize(math.MaxInt32),
		grpc.InitialWindowSize(window),
		grpc.InitialConnWindowSize(window),
		grpc.WriteBufferSize(buffer),
		grpc.ReadBufferSize(buffer),
	}
}

// DialOptions are the executor's matching client options.
func DialOptions() []grpc.DialOption {
	return []grpc.DialOption{
		grpc.WithDefaultCallOptions(codecCallOption()),
		grpc.WithInitialWindowSize(window),
		grpc.WithInitialConnWindowSize(window),
		grpc.WithWriteBufferSize(buffer),
		grpc.WithReadBufferSize(buffer),
	}
}
