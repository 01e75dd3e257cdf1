package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/drover-etl/drover/tpch"
)

func tpchGenCmd() *cobra.Command {
	var cfg tpch.Config
	cmd := &cobra.Command{
		Use:   "tpch-gen DIR",
		Short: "Generate TPC-H tables as Parquet and CSV (DIR/<format>/<table>/part-*.<ext>)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg.Dir = args[0]
			start := time.Now()
			sum, err := tpch.Generate(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), sum)
			fmt.Fprintf(cmd.OutOrStdout(), "generated in %s\n", time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
	f := cmd.Flags()
	f.Float64Var(&cfg.ScaleFactor, "sf", 1, "scale factor (0.01 for tests, 1 and 10 for measurement)")
	f.Uint64Var(&cfg.Seed, "seed", 1, "random seed (same seed and scale factor, same files)")
	f.StringSliceVar(&cfg.Formats, "formats", []string{"parquet", "csv"}, "formats to write")
	f.StringSliceVar(&cfg.Tables, "tables", nil, "tables to write (default: all eight)")
	f.Int64Var(&cfg.FileBytes, "file-bytes", tpch.DefaultFileBytes, "start a new file once one holds this many bytes")
	f.Int64Var(&cfg.RowGroupRows, "row-group-rows", tpch.DefaultRowGroupRows, "Parquet row-group length")
	return cmd
}
