package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	_ "github.com/drover-etl/drover/format/csv"
	_ "github.com/drover-etl/drover/format/jsonl"
	_ "github.com/drover-etl/drover/format/parquet"
	"github.com/drover-etl/drover/internal/buildinfo"
	_ "github.com/drover-etl/drover/storage/local"
	_ "github.com/drover-etl/drover/storage/s3"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := &cobra.Command{
		Use:           "drover",
		Short:         "Drover: distributed batch ETL on Nomad, Consul and S3",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       buildinfo.Version,
	}
	root.AddCommand(runCmd(), explainCmd(), headCmd(), genDataCmd(), tpchGenCmd(), versionCmd(), executorCmd(), gcCmd(), historyCmd(), runsCmd(),
		submitCmd("submit", "Run a job with executors on Nomad (client mode: the driver runs here)"),
		submitCmd("driver", "Run a job's driver inside Nomad (cluster mode; the job spec may be an s3:// URL)"))
	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "drover:", err)
		os.Exit(1)
	}
}

func versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print version and build information",
		Args:  cobra.NoArgs,
		Run:   func(cmd *cobra.Command, _ []string) { fmt.Fprintln(cmd.OutOrStdout(), buildinfo.String()) },
	}
}
