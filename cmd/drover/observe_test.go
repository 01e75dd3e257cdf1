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

func TestObserveFlagsRejectBadPrices(t *testing.T) {
	t.Setenv(s3cost.PricesEnv, "")
	f := observeFlags{prices: "put=free"}
	if _, _, _, err := f.start(context.Background(), &cobra.Command{}); err == nil || !strings.Contains(err.Error(), "--s3-prices") {
		t.Fatalf("bad --s3-prices: %v, want an error naming the flag", err)
	}
	t.Setenv(s3cost.PricesEnv, "get=0.001")
	ctx, prices, stop, err := (&observeFlags{}).start(context.Background(), &cobra.Command{})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if prices.Get != 0.001 || prices.Put != s3cost.DefaultPrices.Put {
		t.Errorf("prices from %s: %+v", s3cost.PricesEnv, prices)
	}
	if s3cost.FromContext(ctx) == nil {
		t.Error("the driver's context carries no S3 recorder")
	}
}

func TestServeMetricsAndHealth(t *testing.T) {
	health := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") })
	srv, addr, err := serveMetrics("127.0.0.1:0", map[string]http.Handler{"/health": health})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for path, want := range map[string]string{"/metrics": "# TYPE drover_executor_tasks_running gauge", "/health": "ok"} {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), want) {
			t.Errorf("GET %s: %s, body lacks %q", path, resp.Status, want)
		}
	}
	if _, _, err := serveMetrics(addr, nil); err == nil {
		t.Error("a second server on a busy address started")
	}
}
