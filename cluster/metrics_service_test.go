package cluster

import "testing"

// TestExecutorJobRegistersMetrics: each executor registers its task
// service with the health check, and its /metrics port for Prometheus.
func TestExecutorJobRegistersMetrics(t *testing.T) {
	cfg := &Config{Executors: 2, SlotsPerExecutor: 2, Binary: "/bin/drover", Driver: "raw_exec"}
	job := executorJob(cfg, "drover-j-r-executors", "drover-j-r", "r")
	svcs := job.TaskGroups[0].Services
	if len(svcs) != 2 {
		t.Fatalf("%d services, want the task service and the metrics service", len(svcs))
	}
	if svcs[0].Name != "drover-j-r" || svcs[0].PortLabel != "rpc" || len(svcs[0].Checks) != 1 {
		t.Errorf("task service: %+v", svcs[0])
	}
	m := svcs[1]
	if m.Name != MetricsService || m.PortLabel != "health" || m.Provider != "consul" {
		t.Errorf("metrics service: %+v", m)
	}
	want := map[string]string{"metrics_path": "/metrics", "drover_role": "executor", "drover_job": "drover-j-r-executors"}
	for k, v := range want {
		if m.Meta[k] != v {
			t.Errorf("metrics service meta %s = %q, want %q", k, m.Meta[k], v)
		}
	}
	tags := map[string]bool{}
	for _, tag := range m.Tags {
		tags[tag] = true
	}
	if !tags["prometheus"] || !tags["drover"] {
		t.Errorf("metrics service tags %v lack prometheus and drover", m.Tags)
	}
}
