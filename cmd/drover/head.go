package main

import (
	"github.com/spf13/cobra"

	"github.com/drover-etl/drover/preview"
)

func headCmd() *cobra.Command {
	var n int
	var formatName string
	cmd := &cobra.Command{
		Use:   "head PATH",
		Short: "Print the first rows of a Parquet, CSV or JSON lines output (file or directory)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return preview.Head(cmd.Context(), cmd.OutOrStdout(), args[0], formatName, n)
		},
	}
	cmd.Flags().IntVarP(&n, "rows", "n", 10, "rows to print")
	cmd.Flags().StringVar(&formatName, "format", "", "parquet, csv or jsonl (default: from the file extension)")
	return cmd
}
