package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/drover-etl/drover/cluster"
	"github.com/drover-etl/drover/gc"
)

func gcCmd() *cobra.Command {
	var shuffleDir string
	var olderThan time.Duration
	var noNomad bool
	cmd := &cobra.Command{
		Use:   "gc",
		Short: "Remove what crashed runs left: shuffle objects, incomplete uploads, staged files, locks, executor jobs",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if shuffleDir == "" {
				return fmt.Errorf("gc needs --shuffle-dir (or DROVER_SHUFFLE_DIR), the one runs were given")
			}
			opts := gc.Options{ShuffleRoot: strings.TrimSuffix(shuffleDir, "/"), OlderThan: olderThan}
			if !noNomad {
				r, err := cluster.NewReaper()
				if err != nil {
					return fmt.Errorf("%w (pass --no-nomad to clean storage only)", err)
				}
				opts.Jobs = r
			}
			rep, err := gc.Collect(cmd.Context(), opts)
			printGC(cmd.OutOrStdout(), rep)
			return err
		},
	}
	cmd.Flags().StringVar(&shuffleDir, "shuffle-dir", os.Getenv("DROVER_SHUFFLE_DIR"), "the shuffle directory runs were given, e.g. s3://bucket/shuffle (env DROVER_SHUFFLE_DIR)")
	cmd.Flags().DurationVar(&olderThan, "older-than", gc.DefaultOlderThan, "a run silent this long has crashed")
	cmd.Flags().BoolVar(&noNomad, "no-nomad", false, "leave Nomad jobs alone (clean storage only)")
	return cmd
}

func printGC(w io.Writer, rep gc.Report) {
	fmt.Fprintf(w, "crashed runs cleaned: %d %v\n", len(rep.Runs), rep.Runs)
	fmt.Fprintf(w, "shuffle objects removed: %d, incomplete uploads aborted: %d, staged files removed: %d, uncommitted published files removed: %d, locks removed: %d\n",
		rep.Objects, rep.Uploads, rep.Staged, rep.Unpublished, rep.Locks)
	fmt.Fprintf(w, "executor jobs purged: %d %v\n", len(rep.Jobs), rep.Jobs)
}

// collectAtStart cleans what crashed runs left under the shuffle root
// before a cluster run starts (never the run itself, which may be
// resuming); a failure is a warning, not the run's.
func collectAtStart(ctx context.Context, w io.Writer, shuffleDir, run string) {
	opts := gc.Options{ShuffleRoot: strings.TrimSuffix(shuffleDir, "/"), Keep: []string{run}}
	if r, err := cluster.NewReaper(); err == nil {
		opts.Jobs = r
	}
	rep, err := gc.Collect(ctx, opts)
	if len(rep.Runs)+len(rep.Jobs) > 0 {
		fmt.Fprintf(w, "drover: cleaned up after crashed runs %v (executor jobs %v)\n", rep.Runs, rep.Jobs)
	}
	if err != nil {
		fmt.Fprintf(w, "drover: warning: cleaning up after crashed runs: %v\n", err)
	}
}
