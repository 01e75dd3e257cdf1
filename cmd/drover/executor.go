package main

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/drover-etl/drover/executor"
	"github.com/drover-etl/drover/remote"
)

func executorCmd() *cobra.Command {
	var listen, health, name, tempDir string
	var slots int
	var delay time.Duration
	cmd := &cobra.Command{
		Use:   "executor",
		Short: "Run an executor process (what Nomad runs in cluster mode)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if name == "" {
				name, _ = os.Hostname()
			}
			lis, err := net.Listen("tcp", listen)
			if err != nil {
				return fmt.Errorf("listen %s: %w", listen, err)
			}
			srv := remote.NewServer(&executor.Runtime{Name: name, TempDir: tempDir, Delay: delay}, slots)
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
			srv.Stop()
			return hs.Close()
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:7420", "gRPC address to serve tasks on")
	cmd.Flags().StringVar(&health, "health", "127.0.0.1:7421", "HTTP address of the /health endpoint")
	cmd.Flags().IntVar(&slots, "slots", 2, "tasks to run at once")
	cmd.Flags().StringVar(&name, "name", "", "executor name in logs and metrics (default: host name)")
	cmd.Flags().StringVar(&tempDir, "temp-dir", "", "directory for sort spill files (default: the OS temp dir)")
	cmd.Flags().DurationVar(&delay, "chaos-task-delay", 0, "hold each task this long before running it (fault-injection tests)")
	cmd.Flags().MarkHidden("chaos-task-delay")
	return cmd
}

func healthMux(srv *remote.Server) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/health", srv.HealthHandler())
	return mux
}
