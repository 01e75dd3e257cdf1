package driver

import (
	"context"
	"errors"
	"github.com/drover-etl/drover/adaptive"
	"testing"

	promtest "github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/drover-etl/drover/metrics"
	"github.com/drover-etl/drover/s3cost"
	"github.com/drover-etl/drover/task"
)

// s3Exec reports 2 GETs per attempt, and fails the first attempt of task
// 0.1 after its requests (reporting them with the error).
type s3Exec struct{ fakeExec }

var attemptUsage = s3cost.Usage{Get: s3cost.Count{Requests: 2, Bytes: 100}}

func (e *s3Exec) Run(ctx context.Context, spec *task.Spec) (*task.Result, error) {
	if spec.Stage == 0 && spec.Partition == 1 && spec.Attempt == 0 {
		return nil, task.WithMetrics(task.AsRetryable(errors.New("flaky")), task.Metrics{S3: attemptUsage})
	}
	res, err := e.fakeExec.Run(ctx, spec)
	if res != nil {
		res.Metrics.S3 = attemptUsage
	}
	return res, err
}

func TestStageS3CountsFailedAttempts(t *testing.T) {
	failed := promtest.ToFloat64(metrics.DriverTaskAttempts.WithLabelValues("failed"))
	succeeded := promtest.ToFloat64(metrics.DriverTaskAttempts.WithLabelValues("succeeded"))
	sum, err := Run(context.Background(), twoStageGraph(), Config{Executor: &s3Exec{fakeExec{slots: 2}}, Adaptive: adaptive.Config{Disabled: true}})
	if err != nil {
		t.Fatal(err)
	}
	// Stage 0: 3 successful attempts and 1 failed one; stage 1: 2 tasks.
	want := []int64{8, 4}
	for i, st := range sum.Stages {
		if got := st.Metrics.S3.Get.Requests; got != want[i] {
			t.Errorf("stage %d: %d GETs, want %d", st.ID, got, want[i])
		}
	}
	if got := sum.S3().Get.Requests; got != 12 {
		t.Errorf("run total: %d GETs, want 12", got)
	}
	if d := promtest.ToFloat64(metrics.DriverTaskAttempts.WithLabelValues("failed")) - failed; d != 1 {
		t.Errorf("drover_driver_task_attempts_total{result=failed} grew by %v, want 1", d)
	}
	if d := promtest.ToFloat64(metrics.DriverTaskAttempts.WithLabelValues("succeeded")) - succeeded; d != 5 {
		t.Errorf("drover_driver_task_attempts_total{result=succeeded} grew by %v, want 5", d)
	}
	for _, state := range []string{"pending", "running"} {
		if v := promtest.ToFloat64(metrics.DriverTasks.WithLabelValues(state)); v != 0 {
			t.Errorf("drover_driver_tasks{state=%q} = %v after the run, want 0", state, v)
		}
	}
}

func TestDriverUsesTheCallersRecorder(t *testing.T) {
	rec := s3cost.NewRecorder()
	rec.Request(s3cost.List, 50) // as if planning had listed the inputs
	ctx := s3cost.WithRecorder(context.Background(), rec)
	sum, err := Run(ctx, twoStageGraph(), Config{Executor: &fakeExec{slots: 2}})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Driver.List != (s3cost.Count{Requests: 1, Bytes: 50}) {
		t.Errorf("driver usage %+v does not include the caller's recorder", sum.Driver)
	}
}
