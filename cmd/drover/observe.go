package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"

	"github.com/spf13/cobra"

	"github.com/drover-etl/drover/metrics"
	"github.com/drover-etl/drover/s3cost"
)

// observeFlags are the driver's observability settings: the S3 prices the
// summary's cost estimate uses and the Prometheus endpoint.
type observeFlags struct {
	prices      string
	metricsAddr string
}

func (f *observeFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.prices, "s3-prices", "", "S3 prices for the cost estimate, dollars per 1,000 requests: get=,put=,list=,delete= and transfer= per GB (default: env "+s3cost.PricesEnv+", else S3 Standard list prices "+s3cost.DefaultPrices.String()+")")
	cmd.Flags().StringVar(&f.metricsAddr, "metrics-addr", "", "serve Prometheus metrics at http://ADDR/metrics while the job runs (e.g. 127.0.0.1:9464)")
}

// start checks the prices, starts the metrics endpoint if asked, and
// returns ctx carrying the recorder that counts the driver's own S3
// requests (planning included). stop closes the endpoint.
func (f *observeFlags) start(ctx context.Context, cmd *cobra.Command) (context.Context, s3cost.Prices, func(), error) {
	prices, err := s3cost.PricesFrom(f.prices)
	if err != nil {
		return nil, prices, nil, err
	}
	ctx = s3cost.WithRecorder(ctx, s3cost.NewRecorder())
	if f.metricsAddr == "" {
		return ctx, prices, func() {}, nil
	}
	srv, addr, err := serveMetrics(f.metricsAddr, nil)
	if err != nil {
		return nil, prices, nil, err
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "metrics at http://%s/metrics\n", addr)
	return ctx, prices, func() { srv.Close() }, nil
}

// serveMetrics serves /metrics (and extra's routes) on addr in the
// background and returns the address it listens on.
func serveMetrics(addr string, extra map[string]http.Handler) (*http.Server, string, error) {
	lis, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", fmt.Errorf("metrics endpoint %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", metrics.Handler())
	for path, h := range extra {
		mux.Handle(path, h)
	}
	srv := &http.Server{Handler: mux}
	go func() {
		if err := srv.Serve(lis); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(os.Stderr, "drover: metrics endpoint:", err)
		}
	}()
	return srv, lis.Addr().String(), nil
}
