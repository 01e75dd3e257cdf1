package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/drover-etl/drover/s3cost"
)

func TestMetricsFlagsRejectBadPrices(t *testing.T) {
	t.Setenv(s3cost.PricesEnv, "")
	f := metricsFlags{prices: "put=free"}
	cmd := &cobra.Command{}
	cmd.SetContext(context.Background())
	if _, err := f.start(cmd); err == nil || !strings.Contains(err.Error(), "--s3-prices") {
		t.Fatalf("bad --s3-prices: %v, want an error naming the flag", err)
	}
	t.Setenv(s3cost.PricesEnv, "get=0.001")
	f = metricsFlags{}
	stop, err := f.start(cmd)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if f.parsed.Get != 0.001 || f.parsed.Put != s3cost.DefaultPrices.Put {
		t.Errorf("prices from %s: %+v", s3cost.PricesEnv, f.parsed)
	}
	if s3cost.FromContext(cmd.Context()) == nil {
		t.Error("the command's context carries no S3 recorder")
	}
}

func TestServeMetrics(t *testing.T) {
	srv, addr, err := serveMetrics("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if want := "# TYPE drover_executor_tasks_running gauge"; resp.StatusCode != http.StatusOK || !strings.Contains(string(b), want) {
		t.Errorf("GET /metrics: %s, body lacks %q", resp.Status, want)
	}
	if _, _, err := serveMetrics(addr); err == nil || !strings.Contains(err.Error(), "--metrics-addr") {
		t.Errorf("a second server on a busy address: %v, want an error naming --metrics-addr", err)
	}
}
