package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/drover-etl/drover/sampledata"
)

func genDataCmd() *cobra.Command {
	var cfg sampledata.Config
	cmd := &cobra.Command{
		Use:   "gen-data DIR",
		Short: "Generate the demo data set (orders CSV, customers Parquet, events JSON lines)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg.Dir = args[0]
			sum, err := sampledata.Generate(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), sum)
			return nil
		},
	}
	cmd.Flags().IntVar(&cfg.Customers, "customers", 2000, "customers to generate")
	cmd.Flags().IntVar(&cfg.OrdersPerDay, "orders-per-day", 20000, "orders per day")
	cmd.Flags().IntVar(&cfg.Days, "days", 3, "days of orders, ending at --end")
	cmd.Flags().StringVar(&cfg.End, "end", "2026-11-20", "last day (YYYY-MM-DD)")
	cmd.Flags().Int64Var(&cfg.Seed, "seed", 1, "random seed (same seed, same data)")
	return cmd
}
