package executor

import (
	"context"
	"strings"
	"testing"

	promtest "github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/drover-etl/drover/metrics"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/task"
	"github.com/drover-etl/drover/types"
)

// TestFailedTaskReportsItsMetrics: a failed attempt's error carries its
// metrics (its S3 requests are billed too) and counts as failed.
func TestFailedTaskReportsItsMetrics(t *testing.T) {
	schema := types.NewSchema(types.Field{Name: "x", Type: types.Int64Type})
	spec := &task.Spec{ID: task.ID{Stage: 1, Partition: 0, Attempt: 2},
		Fragment: &physical.Node{Op: physical.OpValues, Schema: schema, Values: &physical.ValuesSpec{}}}
	failed := promtest.ToFloat64(metrics.ExecutorTasks.WithLabelValues("failed"))
	rt := &Runtime{Name: "exec-a"}
	_, err := rt.Run(context.Background(), spec)
	if err == nil || !strings.Contains(err.Error(), "has no output") {
		t.Fatalf("want a task without output to fail, got %v", err)
	}
	m, ok := task.MetricsOf(err)
	if !ok || m.Executor != "exec-a" {
		t.Errorf("error carries metrics %+v (%v), want the executor's", m, ok)
	}
	if d := promtest.ToFloat64(metrics.ExecutorTasks.WithLabelValues("failed")) - failed; d != 1 {
		t.Errorf("drover_executor_tasks_total{state=failed} grew by %v, want 1", d)
	}
	if running := promtest.ToFloat64(metrics.ExecutorTasksRunning); running != 0 {
		t.Errorf("drover_executor_tasks_running = %v after the task ended", running)
	}
}
