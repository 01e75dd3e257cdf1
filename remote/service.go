package remote

import (
	"context"

	"google.golang.org/grpc"
)

// serviceName is the gRPC service; the version is in the name so a future
// incompatible protocol can be served beside this one.
const serviceName = "drover.executor.v1.Executor"

// handler is what the service calls; Server implements it.
type handler interface {
	RunTask(context.Context, *RunRequest) (*RunResponse, error)
	Cancel(context.Context, *CancelRequest) (*Empty, error)
	Status(context.Context, *StatusRequest) (*Status, error)
	Shutdown(context.Context, *Empty) (*Empty, error)
}

func unary[Req any, Resp any](name string, call func(handler, context.Context, *Req) (*Resp, error)) grpc.MethodDesc {
	return grpc.MethodDesc{
		MethodName: name,
		Handler: func(srv any, ctx context.Context, dec func(any) error, icpt grpc.UnaryServerInterceptor) (any, error) {
			req := new(Req)
			if err := dec(req); err != nil {
				return nil, err
			}
			h := srv.(handler)
			if icpt == nil {
				return call(h, ctx, req)
			}
			info := &grpc.UnaryServerInfo{Server: srv, FullMethod: "/" + serviceName + "/" + name}
			return icpt(ctx, req, info, func(ctx context.Context, r any) (any, error) { return call(h, ctx, r.(*Req)) })
		},
	}
}

var serviceDesc = grpc.ServiceDesc{
	ServiceName: serviceName,
	HandlerType: (*handler)(nil),
	Methods: []grpc.MethodDesc{
		unary("RunTask", handler.RunTask),
		unary("Cancel", handler.Cancel),
		unary("Status", handler.Status),
		unary("Shutdown", handler.Shutdown),
	},
	Metadata: "drover/remote",
}
