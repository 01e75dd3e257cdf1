package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/drover-etl/drover/executor"
	"github.com/drover-etl/drover/remote"
	"github.com/drover-etl/drover/udfhost"
)

func executorCmd() *cobra.Command {
	var listen, health, name, tempDir string
	var slots int
	var delay time.Duration
	var plugins string
	cmd := &cobra.Command{
		Use:   "executor",
		Short: "Run an executor process (what Nomad runs in cluster mode)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if name == "" {
				name, _ = os.Hostname()
			}
			// The driver hands the run's token, CA and this executor's key
			// and certificate over in the environment (from the job's Nomad
			// variable), never on the command line; without them the
			// executor does not start.
			auth, err := remote.ServerAuthFromEnv()
			if err != nil {
				return err
			}
			lis, err := net.Listen("tcp", listen)
			if err != nil {
				return fmt.Errorf("listen %s: %w", listen, err)
			}
			rt := &executor.Runtime{Name: name, TempDir: tempDir, Delay: delay}
			host, cache, err := startExecutorPlugins(cmd.Context(), plugins, tempDir)
			if err != nil {
				return err
			}
			defer os.RemoveAll(cache)
			defer host.Close()
			if host != nil {
				rt.UDF, rt.Transforms = host, host
			}
			srv, err := remote.NewServer(rt, slots, auth)
			if err != nil {
				return err
			}
			hs := &http.Server{Addr: health, Handler: healthMux(srv)}
			go func() {
				if err := hs.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
					fmt.Fprintln(os.Stderr, "drover executor: health endpoint:", err)
				}
			}()
			errc := make(chan error, 1)
			go func() { errc <- srv.Serve(lis) }()
			fmt.Fprintf(cmd.ErrOrStderr(), "drover executor %s serving on %s (health %s, %d slots)\n", name, lis.Addr(), health, slots)
			select {
			case <-cmd.Context().Done():
			case <-srv.Stopped():
			case err := <-errc:
				return err
			}
			// Nomad allows kill_timeout (5 s) before SIGKILL.
			srv.GracefulStop(3 * time.Second)
			return hs.Close()
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:7420", "gRPC address to serve tasks on")
	cmd.Flags().StringVar(&health, "health", "127.0.0.1:7421", "HTTP address of the /health endpoint")
	cmd.Flags().IntVar(&slots, "slots", 2, "tasks to run at once")
	cmd.Flags().StringVar(&name, "name", "", "executor name in logs and metrics (default: host name)")
	cmd.Flags().StringVar(&tempDir, "temp-dir", "", "directory for sort spill files (default: the OS temp dir)")
	cmd.Flags().StringVar(&plugins, "plugins", "", "plugins to fetch, verify and start, as JSON [{name, source, sha256}] (set by the driver)")
	cmd.Flags().DurationVar(&delay, "chaos-task-delay", 0, "hold each task this long before running it (fault-injection tests)")
	cmd.Flags().MarkHidden("chaos-task-delay")
	return cmd
}

func healthMux(srv *remote.Server) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/health", srv.HealthHandler())
	return mux
}

// startExecutorPlugins starts the plugins the driver shipped (nil when
// there are none). Binaries are fetched from object storage and checked
// against their sha256 before they run.
func startExecutorPlugins(ctx context.Context, js, tempDir string) (*udfhost.Host, string, error) {
	if js == "" {
		return nil, "", nil
	}
	var specs []udfhost.Spec
	if err := json.Unmarshal([]byte(js), &specs); err != nil {
		return nil, "", fmt.Errorf("--plugins: %w", err)
	}
	cache, err := os.MkdirTemp(tempDir, "drover-plugins-")
	if err != nil {
		return nil, "", err
	}
	host, err := udfhost.Start(ctx, udfhost.Config{Log: os.Stderr, CacheDir: cache}, specs)
	if err != nil {
		os.RemoveAll(cache)
		return nil, "", err
	}
	return host, cache, nil
}
