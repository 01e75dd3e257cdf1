package main

import (
	"fmt"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/drover-etl/drover/webui"
)

func historyCmd() *cobra.Command {
	var dir, addr string
	cmd := &cobra.Command{
		Use:   "history",
		Short: "Serve the web UI for finished, failed and crashed runs from their event logs",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			ln, err := webui.Listen(addr)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "history of %s: http://%s/\n", dir, ln.Addr())
			webui.Serve(ctx, ln, webui.New(&webui.History{Dir: dir}, 3*time.Second))
			<-ctx.Done()
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "event-log-dir", localEventLogDir(), "directory or s3:// prefix holding the event logs")
	cmd.Flags().StringVar(&addr, "ui-addr", "127.0.0.1:18080", "address to serve the UI on")
	return cmd
}

func runsCmd() *cobra.Command {
	var dir string
	var limit int
	cmd := &cobra.Command{
		Use:   "runs",
		Short: "List recent runs from their event logs",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			runs, err := (&webui.History{Dir: dir, Limit: limit}).Runs(cmd.Context())
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "RUN\tJOB\tMODE\tSTATUS\tSTARTED\tDURATION\tERROR")
			for _, r := range runs {
				started := ""
				if !r.Start.IsZero() {
					started = r.Start.Local().Format("2006-01-02 15:04:05")
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Job, r.Mode, r.Status, started,
					r.Duration(time.Now()).Round(time.Second), firstLine(r.Error))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&dir, "event-log-dir", localEventLogDir(), "directory or s3:// prefix holding the event logs")
	cmd.Flags().IntVar(&limit, "limit", 20, "how many runs to list, newest first")
	return cmd
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
