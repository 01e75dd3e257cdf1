package metrics

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promauto"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Registry holds every drover_* metric plus the Go runtime and process
// collectors; it is what Handler serves.
var Registry = prometheus.NewRegistry()

var reg = promauto.With(Registry)

func init() {
	Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
}

// Handler serves the registry in the Prometheus exposition format.
func Handler() http.Handler {
	return promhttp.HandlerFor(Registry, promhttp.HandlerOpts{Registry: Registry})
}

// Executor: tasks this process ran, and what they moved.
var (
	ExecutorTasksRunning = reg.NewGauge(prometheus.GaugeOpts{
		Name: "drover_executor_tasks_running", Help: "Tasks running on this executor now."})
	ExecutorCancels = reg.NewCounter(prometheus.CounterOpts{
		Name: "drover_executor_cancel_requests_total", Help: "Cancel calls from the driver that found their task running here (a speculative copy lost, or the attempt timed out)."})
	ExecutorTasks = reg.NewCounterVec(prometheus.CounterOpts{
		Name: "drover_executor_tasks_total", Help: "Tasks this executor finished, by state (succeeded, failed, canceled)."},
		[]string{"state"})
	ExecutorRowsRead = reg.NewCounter(prometheus.CounterOpts{
		Name: "drover_executor_rows_read_total", Help: "Rows tasks read from inputs and shuffle data."})
	ExecutorRowsWritten = reg.NewCounter(prometheus.CounterOpts{
		Name: "drover_executor_rows_written_total", Help: "Rows tasks wrote to shuffle data and sinks."})
	ExecutorBytesRead = reg.NewCounter(prometheus.CounterOpts{
		Name: "drover_executor_bytes_read_total", Help: "Bytes tasks read from input files."})
	ExecutorBytesWritten = reg.NewCounter(prometheus.CounterOpts{
		Name: "drover_executor_bytes_written_total", Help: "Bytes tasks wrote to sink files."})
	ExecutorShuffleBytesRead = reg.NewCounter(prometheus.CounterOpts{
		Name: "drover_executor_shuffle_bytes_read_total", Help: "Shuffle bytes reduce tasks read."})
	ExecutorShuffleBytesWritten = reg.NewCounter(prometheus.CounterOpts{
		Name: "drover_executor_shuffle_bytes_written_total", Help: "Shuffle bytes map tasks wrote."})
	ExecutorSpilledBytes = reg.NewCounter(prometheus.CounterOpts{
		Name: "drover_executor_spilled_bytes_total", Help: "Bytes operators (sort, hash aggregate, hash join, window, shuffle writer) spilled to local disk."})
)

// Driver: the tasks of the runs this process drives.
var (
	DriverTasks = reg.NewGaugeVec(prometheus.GaugeOpts{
		Name: "drover_driver_tasks", Help: "Tasks of running stages by state: pending (waiting for a slot) or running."},
		[]string{"state"})
	DriverTaskAttempts = reg.NewCounterVec(prometheus.CounterOpts{
		Name: "drover_driver_task_attempts_total", Help: "Finished task attempts by result: succeeded, failed (retryable), fatal, lost (executor lost), oom_killed, fetch_failed, timed_out, canceled (the job stopped or a faster copy won), unplaced (a speculative copy found no other executor free)."},
		[]string{"result"})
	DriverStages = reg.NewCounterVec(prometheus.CounterOpts{
		Name: "drover_driver_stages_total", Help: "Stages that finished, by state (succeeded, failed)."},
		[]string{"state"})
)

// S3: every HTTP request the S3 store sends, counted where it is sent.
var (
	S3Requests = reg.NewCounterVec(prometheus.CounterOpts{
		Name: "drover_s3_requests_total", Help: "S3 requests by billing class (get, put, list, delete) and operation."},
		[]string{"class", "op"})
	S3BytesSent = reg.NewCounterVec(prometheus.CounterOpts{
		Name: "drover_s3_sent_bytes_total", Help: "Request body bytes sent to S3, by operation."},
		[]string{"op"})
	S3BytesReceived = reg.NewCounterVec(prometheus.CounterOpts{
		Name: "drover_s3_received_bytes_total", Help: "Response body bytes received from S3, by operation."},
		[]string{"op"})
	S3Errors = reg.NewCounterVec(prometheus.CounterOpts{
		Name: "drover_s3_request_errors_total", Help: "S3 requests that failed, by operation and HTTP status (\"network\": no answer)."},
		[]string{"op", "status"})
	S3SlowDowns = reg.NewCounter(prometheus.CounterOpts{
		Name: "drover_s3_slowdowns_total", Help: "S3 answers asking to slow down (503 Slow Down, 429)."})
	S3Retries = reg.NewCounter(prometheus.CounterOpts{
		Name: "drover_s3_retries_total", Help: "S3 operations retried after a transient failure."})
)

// Plugins: calls into UDF plugin processes and their crashes.
var (
	PluginCalls = reg.NewCounterVec(prometheus.CounterOpts{
		Name: "drover_plugin_calls_total", Help: "Calls into plugin functions and transforms, by plugin."},
		[]string{"plugin"})
	PluginCallErrors = reg.NewCounterVec(prometheus.CounterOpts{
		Name: "drover_plugin_call_errors_total", Help: "Plugin calls that failed, by plugin."},
		[]string{"plugin"})
	PluginCrashes = reg.NewCounterVec(prometheus.CounterOpts{
		Name: "drover_plugin_crashes_total", Help: "Plugin processes that crashed or hung and were restarted, by plugin."},
		[]string{"plugin"})
)
