package remote

import (
	"context"
	"crypto/subtle"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/keepalive"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/drover-etl/drover/executor"
	"github.com/drover-etl/drover/metrics"
	"github.com/drover-etl/drover/task"
)

// Server runs tasks sent by a driver.
type Server struct {
	rt      *executor.Runtime
	slots   int
	start   time.Time
	mu      sync.Mutex
	running map[task.ID]context.CancelFunc
	done    atomic.Int64
	grpc    *grpc.Server
	stop    chan struct{}
	once    sync.Once
	contact atomic.Int64 // unix nanos of the driver's last call (lease.go)
	// Log receives a line per task the driver cancels (nil: none).
	Log io.Writer
}

var _ handler = (*Server)(nil)

// ServerAuth is what an executor needs to serve: the run's token, which
// every call must carry, and its TLS configuration (ServerTLSConfig),
// which requires a client certificate from the run's CA.
type ServerAuth struct {
	Token string
	TLS   *tls.Config
}

func (a ServerAuth) check() error {
	switch {
	case a.Token == "":
		return ErrNoToken
	case a.TLS == nil || len(a.TLS.Certificates) == 0 || a.TLS.ClientCAs == nil:
		return ErrNoCertificate
	case a.TLS.ClientAuth != tls.RequireAndVerifyClientCert:
		return fmt.Errorf("%w: client certificates are not required", ErrBadCredentials)
	}
	return nil
}

// NewServer serves rt with the given number of task slots over mutual TLS
// and the token. Missing credentials are an error: an executor never
// serves unauthenticated.
func NewServer(rt *executor.Runtime, slots int, auth ServerAuth) (*Server, error) {
	if err := auth.check(); err != nil {
		return nil, err
	}
	s := &Server{rt: rt, slots: slots, start: time.Now(), running: map[task.ID]context.CancelFunc{}, stop: make(chan struct{})}
	s.touch()
	s.grpc = grpc.NewServer(grpc.MaxRecvMsgSize(64<<20), grpc.MaxSendMsgSize(64<<20),
		grpc.Creds(credentials.NewTLS(auth.TLS)),
		grpc.UnaryInterceptor(authorize(auth.Token, s.touch)),
		grpc.KeepaliveEnforcementPolicy(keepalive.EnforcementPolicy{MinTime: 5 * time.Second, PermitWithoutStream: true}),
		grpc.KeepaliveParams(keepalive.ServerParameters{Time: 10 * time.Second, Timeout: 5 * time.Second}))
	s.grpc.RegisterService(&serviceDesc, s)
	return s, nil
}

// Serve answers gRPC on lis until Shutdown or Stop.
func (s *Server) Serve(lis net.Listener) error { return s.grpc.Serve(lis) }

// Stopped is closed when a driver asked the executor to shut down.
func (s *Server) Stopped() <-chan struct{} { return s.stop }

// Stop cancels running tasks and stops serving at once.
func (s *Server) Stop() {
	s.cancelAll()
	s.grpc.Stop()
}

// GracefulStop cancels running tasks, gives them up to wait to clean up
// (abort their uploads, answer the driver), then stops serving.
func (s *Server) GracefulStop(wait time.Duration) {
	s.cancelAll()
	done := make(chan struct{})
	go func() {
		s.grpc.GracefulStop()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(wait):
		s.grpc.Stop()
	}
}

func (s *Server) cancelAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, cancel := range s.running {
		cancel()
	}
}

// RunTask runs one task to completion. A task error travels in the
// response with its class; the gRPC call itself succeeds.
func (s *Server) RunTask(ctx context.Context, req *RunRequest) (*RunResponse, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s.mu.Lock()
	s.running[req.Spec.ID] = cancel
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.running, req.Spec.ID)
		s.mu.Unlock()
		s.done.Add(1)
	}()
	res, err := s.rt.Run(ctx, req.Spec)
	if err != nil {
		return &RunResponse{Error: toWire(err)}, nil
	}
	return &RunResponse{Result: res}, nil
}

// Cancel stops a running attempt (a speculative copy that lost, or one
// that timed out): its context is cancelled, which operators and plugin
// calls observe, and RunTask answers once the task has stopped.
func (s *Server) Cancel(_ context.Context, req *CancelRequest) (*Empty, error) {
	s.mu.Lock()
	cancel, ok := s.running[req.ID]
	s.mu.Unlock()
	if !ok {
		return &Empty{}, nil
	}
	cancel()
	metrics.ExecutorCancels.Inc()
	if s.Log != nil {
		fmt.Fprintf(s.Log, "drover executor %s: task %s cancelled by the driver\n", s.rt.Name, req.ID)
	}
	return &Empty{}, nil
}

// Status is the heartbeat answer.
func (s *Server) Status(context.Context, *StatusRequest) (*Status, error) {
	return s.status(), nil
}

func (s *Server) status() *Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &Status{Name: s.rt.Name, Slots: s.slots, Done: s.done.Load(), Uptime: time.Since(s.start)}
	if p := s.rt.Pool; p != nil {
		st.Memory, st.MemoryHeld = p.Limit(), p.Held()
	}
	for id := range s.running {
		st.Running = append(st.Running, id)
	}
	return st
}

// Shutdown asks the process to exit once the reply is sent.
func (s *Server) Shutdown(context.Context, *Empty) (*Empty, error) {
	s.once.Do(func() { close(s.stop) })
	return &Empty{}, nil
}

// HealthHandler answers /health with liveness only: 200 and "ok" while
// serving. It is plain HTTP for Consul's check, so it tells nothing
// (name, tasks, counts) that the authenticated Status call does.
func (s *Server) HealthHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		io.WriteString(w, "ok\n")
	})
}

// authorize rejects calls without the run's bearer token (constant-time
// comparison; the token itself is never logged); an authorized call
// renews the driver's lease (touch).
func authorize(token string, touch func()) grpc.UnaryServerInterceptor {
	want := []byte("Bearer " + token)
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
		md, _ := metadata.FromIncomingContext(ctx)
		got := md.Get("authorization")
		if len(got) != 1 || subtle.ConstantTimeCompare([]byte(got[0]), want) != 1 {
			return nil, status.Error(codes.Unauthenticated, "missing or wrong executor token")
		}
		touch()
		return h(ctx, req)
	}
}
