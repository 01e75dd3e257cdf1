package main

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"

	"github.com/spf13/cobra"

	"github.com/drover-etl/drover/metrics"
	"github.com/drover-etl/drover/s3cost"
)

// metricsFlags are the driver's metrics settings: the S3 prices the
// summary's cost estimate uses and the Prometheus endpoint.
type metricsFlags struct {
	prices      string
	metricsAddr string
	// parsed are the prices in force, set by start.
	parsed s3cost.Prices
}

func (f *metricsFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.prices, "s3-prices", "", "S3 prices for the cost estimate, dollars per 1,000 requests: get=,put=,list=,delete= and transfer= per GB (default: env "+s3cost.PricesEnv+", else S3 Standard list prices "+s3cost.DefaultPrices.String()+")")
	cmd.Flags().StringVar(&f.metricsAddr, "metrics-addr", "", "serve Prometheus metrics at http://ADDR/metrics while the job runs (e.g. 127.0.0.1:9464)")
}

// start checks the prices, gives the command's context the recorder that
// counts the driver's own S3 requests (planning included), and starts the
// metrics endpoint if asked. stop closes the endpoint.
func (f *metricsFlags) start(cmd *cobra.Command) (stop func(), err error) {
	if f.parsed, err = s3cost.PricesFrom(f.prices); err != nil {
		return nil, err
	}
	cmd.SetContext(s3cost.WithRecorder(cmd.Context(), s3cost.NewRecorder()))
	if f.metricsAddr == "" {
		return func() {}, nil
	}
	srv, addr, err := serveMetrics(f.metricsAddr)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "metrics at http://%s/metrics\n", addr)
	return func() { srv.Close() }, nil
}

// serveMetrics serves /metrics on addr in the background and returns the
// address it listens on (addr may ask for any free port).
func serveMetrics(addr string) (*http.Server, string, error) {
	lis, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", fmt.Errorf("--metrics-addr %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", metrics.Handler())
	srv := &http.Server{Handler: mux}
	go func() {
		if err := srv.Serve(lis); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(os.Stderr, "drover: metrics endpoint:", err)
		}
	}()
	return srv, lis.Addr().String(), nil
}
