// Package metrics holds Drover's Prometheus metrics (every name starts
// with drover_; docs/operations.md lists them) in a registry of its own,
// and the HTTP handler that serves it at /metrics on executors and on the
// driver (--metrics-addr).
//
// The metrics are process-wide counters and gauges that the packages
// doing the work update directly: the executor runtime (tasks and their
// rows and bytes), the driver (tasks by state), the S3 store (requests by
// operation, bytes, errors, retries) and the plugin host (calls,
// crashes). Per-task numbers travel in task.Metrics instead.
package metrics
