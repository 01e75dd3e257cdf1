package metrics

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHandlerServesDroverMetrics(t *testing.T) {
	ExecutorTasks.WithLabelValues("succeeded").Inc()
	S3Requests.WithLabelValues("get", "head").Add(3)
	PluginCrashes.WithLabelValues("textkit").Inc()
	DriverTasks.WithLabelValues("running").Set(2)
	rec := httptest.NewRecorder()
	Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	out := string(body)
	for _, want := range []string{
		"# HELP drover_executor_tasks_running ",
		`drover_executor_tasks_total{state="succeeded"} 1`,
		`drover_s3_requests_total{class="get",op="head"} 3`,
		`drover_plugin_crashes_total{plugin="textkit"} 1`,
		`drover_driver_tasks{state="running"} 2`,
		"# TYPE drover_s3_retries_total counter",
		"go_goroutines ",
		"process_cpu_seconds_total ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

// TestNamesArePrefixed keeps every metric of ours under drover_.
func TestNamesArePrefixed(t *testing.T) {
	mfs, err := Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		name := mf.GetName()
		if !strings.HasPrefix(name, "drover_") && !strings.HasPrefix(name, "go_") && !strings.HasPrefix(name, "process_") && !strings.HasPrefix(name, "promhttp_") {
			t.Errorf("metric %s lacks the drover_ prefix", name)
		}
	}
}
