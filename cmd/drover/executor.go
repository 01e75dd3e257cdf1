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
	"github.com/drover-etl/drover/metrics"
	"github.com/drover-etl/drover/remote"
	"github.com/drover-etl/drover/spill"
	"github.com/drover-etl/drover/task"
	"github.com/drover-etl/drover/udfhost"
)

func executorCmd() *cobra.Command {
	var listen, health, name, tempDir string
	var slots int
	var poolBytes int64
	var delay, grace time.Duration
	var hog int64
	var delayPart int
	var plugins string
	cmd := &cobra.Command{
		Use:   "executor",
		Short: "Run an executor process (what Nomad runs in cluster mode)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if name == "" {
				name, _ = os.Hostname()
			}
			if grace > 0 && grace < 2*remote.DefaultRenewInterval {
				return fmt.Errorf("--driver-grace %v is too short: the driver renews every %v; give it at least %v", grace, remote.DefaultRenewInterval, 2*remote.DefaultRenewInterval)
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
			hard := hardLimit()
			pool, err := executorPool(poolBytes, os.Getenv, hard, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			withRuntimeLimit(pool, hard)
			place, err := spill.NewPlace(tempDir, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			rt := &executor.Runtime{Name: name, Spill: place, Delay: delay, Hog: hog, Pool: pool}
			if delayPart >= 0 {
				rt.Delayed = func(spec *task.Spec) bool { return spec.Partition == delayPart && spec.Attempt == 0 }
			}
			host, cache, err := startExecutorPlugins(cmd.Context(), plugins, place.LocalDir())
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
			srv.Log = cmd.ErrOrStderr() // one line per task the driver cancels
			hs := &http.Server{Addr: health, Handler: healthMux(srv)}
			go func() {
				if err := hs.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
					fmt.Fprintln(os.Stderr, "drover executor: health endpoint:", err)
				}
			}()
			errc := make(chan error, 1)
			go func() { errc <- srv.Serve(lis) }()
			fmt.Fprintf(cmd.ErrOrStderr(), "drover executor %s serving on %s (health %s, %d slots, memory budget %d bytes)\n", name, lis.Addr(), health, slots, pool.Limit())
			select {
			case <-cmd.Context().Done():
			case <-srv.Stopped():
			case <-srv.DriverGone(cmd.Context(), grace):
				// Exit 0: Nomad leaves the finished allocation alone.
				fmt.Fprintf(cmd.ErrOrStderr(), "drover executor %s: no call from the driver for %v; it is gone, stopping\n", name, grace)
			case err := <-errc:
				return err
			}
			// Nomad allows kill_timeout (5 s) before SIGKILL.
			srv.GracefulStop(3 * time.Second)
			return hs.Close()
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:7420", "gRPC address to serve tasks on")
	cmd.Flags().StringVar(&health, "health", "127.0.0.1:7421", "HTTP address of the /health and /metrics (Prometheus) endpoints")
	cmd.Flags().IntVar(&slots, "slots", 2, "tasks to run at once")
	cmd.Flags().Int64Var(&poolBytes, "memory", 0, "bytes the slots' tasks may hold in sorts, hash tables and windows together before they spill (default: 60% of NOMAD_MEMORY_LIMIT, else of the machine's or cgroup's memory)")
	cmd.Flags().StringVar(&name, "name", "", "executor name in logs and metrics (default: host name)")
	cmd.Flags().StringVar(&tempDir, "temp-dir", "", tempDirUsage)
	cmd.Flags().StringVar(&plugins, "plugins", "", "plugins to fetch, verify and start, as JSON [{name, source, sha256}] (set by the driver)")
	cmd.Flags().DurationVar(&grace, "driver-grace", 2*time.Minute, "stop after the driver has not called for this long (0: never)")
	cmd.Flags().DurationVar(&delay, "chaos-task-delay", 0, "hold each task this long before running it (fault-injection tests)")
	cmd.Flags().MarkHidden("chaos-task-delay")
	cmd.Flags().IntVar(&delayPart, "chaos-task-delay-partition", -1, "hold only the first attempt of each stage's task for this partition (fault-injection tests: a straggler)")
	cmd.Flags().MarkHidden("chaos-task-delay-partition")
	cmd.Flags().Int64Var(&hog, "chaos-task-hog", 0, "allocate this many bytes before each task (fault-injection tests: an executor Nomad OOM-kills)")
	cmd.Flags().MarkHidden("chaos-task-hog")
	return cmd
}

// healthMux serves /health for Consul's check and /metrics for
// Prometheus (registered in Consul as cluster.MetricsService).
func healthMux(srv *remote.Server) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/health", srv.HealthHandler())
	mux.Handle("/metrics", metrics.Handler())
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
