package remote

import (
	"context"
	"crypto/tls"
	"fmt"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/keepalive"
	"google.golang.org/grpc/status"

	"github.com/drover-etl/drover/task"
)

// Client talks to one executor.
type Client struct {
	Addr string
	conn *grpc.ClientConn
}

// ClientAuth is how the driver proves itself to the run's executors: the
// run's bearer token, sent on every call, and a TLS configuration with a
// client certificate from the run's CA (RunCA.ClientTLS).
type ClientAuth struct {
	Token string
	TLS   *tls.Config
}

func (a ClientAuth) check() error {
	switch {
	case a.Token == "":
		return ErrNoToken
	case a.TLS == nil || len(a.TLS.Certificates) == 0:
		return ErrNoCertificate
	}
	return nil
}

// Dial connects to an executor at addr (host:port) over mutual TLS,
// presenting the token on every call. The connection is lazy; failures
// show up on the first call.
func Dial(addr string, auth ClientAuth) (*Client, error) {
	if err := auth.check(); err != nil {
		return nil, fmt.Errorf("dial executor %s: %w", addr, err)
	}
	conn, err := grpc.NewClient(addr,
		grpc.WithPerRPCCredentials(bearer(auth.Token)),
		grpc.WithTransportCredentials(credentials.NewTLS(auth.TLS)),
		// Pings detect an executor that vanished without closing the
		// connection (a partitioned node), so its tasks fail as lost
		// instead of hanging.
		grpc.WithKeepaliveParams(keepalive.ClientParameters{Time: 10 * time.Second, Timeout: 5 * time.Second, PermitWithoutStream: true}),
		grpc.WithDefaultCallOptions(grpc.CallContentSubtype(codecName), grpc.MaxCallRecvMsgSize(64<<20), grpc.MaxCallSendMsgSize(64<<20)))
	if err != nil {
		return nil, fmt.Errorf("dial executor %s: %w", addr, err)
	}
	return &Client{Addr: addr, conn: conn}, nil
}

func (c *Client) invoke(ctx context.Context, method string, req, resp any) error {
	err := c.conn.Invoke(ctx, "/"+serviceName+"/"+method, req, resp)
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	switch status.Code(err) {
	case codes.Unavailable, codes.Aborted, codes.DeadlineExceeded:
		return task.AsRetryable(fmt.Errorf("%w: %s: %v", ErrExecutorLost, c.Addr, err))
	case codes.Internal, codes.Unknown:
		// A message that failed to encode or decode, say: the executor is
		// fine, the task is not.
		return task.AsRetryable(fmt.Errorf("executor %s: %w", c.Addr, err))
	}
	return fmt.Errorf("executor %s: %w", c.Addr, err)
}

// Run executes a task remotely; the task's own error keeps its class.
func (c *Client) Run(ctx context.Context, spec *task.Spec) (*task.Result, error) {
	var resp RunResponse
	if err := c.invoke(ctx, "RunTask", &RunRequest{Spec: spec}, &resp); err != nil {
		return nil, err
	}
	if resp.Error != nil {
		return nil, resp.Error.toError()
	}
	return resp.Result, nil
}

// Cancel stops a running attempt.
func (c *Client) Cancel(ctx context.Context, id task.ID) error {
	return c.invoke(ctx, "Cancel", &CancelRequest{ID: id}, &Empty{})
}

// Status is the heartbeat.
func (c *Client) Status(ctx context.Context) (*Status, error) {
	var st Status
	if err := c.invoke(ctx, "Status", &StatusRequest{}, &st); err != nil {
		return nil, err
	}
	return &st, nil
}

// Shutdown asks the executor process to exit.
func (c *Client) Shutdown(ctx context.Context) error {
	return c.invoke(ctx, "Shutdown", &Empty{}, &Empty{})
}

// Close closes the connection.
func (c *Client) Close() error { return c.conn.Close() }

// bearer attaches the run's token to each call.
type bearer string

func (b bearer) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"authorization": "Bearer " + string(b)}, nil
}

// RequireTransportSecurity is true: the token never crosses the network
// in clear.
func (bearer) RequireTransportSecurity() bool { return true }
