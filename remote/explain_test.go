package remote

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/task"
	"github.com/drover-etl/drover/types"
)

// TestExplainedLossCountsAsAnAttempt: when the cluster says why an
// executor died (OOM-killed), the task's error says so, names the stage
// and task, and is no longer an ErrExecutorLost (which the scheduler
// retries without counting). An unexplained loss stays ErrExecutorLost.
func TestExplainedLossCountsAsAnAttempt(t *testing.T) {
	for _, tc := range []struct {
		name string
		why  error
	}{
		{"oom", fmt.Errorf("executor x was %w by Nomad (memory 128 MB)", task.ErrOOMKilled)},
		{"ordinary loss", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, addr := startServer(t, "e1")
			pool := NewPool(1)
			pool.Auth = testClientAuth(t)
			defer pool.Close()
			var asked string
			pool.Explain = func(_ context.Context, a string, since time.Time) error {
				asked = a
				if since.IsZero() || time.Since(since) < 0 {
					t.Errorf("since = %v", since)
				}
				return tc.why
			}
			pool.Set([]string{addr})
			s.Stop()
			spec := &task.Spec{ID: task.ID{Stage: 3, Partition: 7},
				Fragment: &physical.Node{Op: physical.OpScan, Schema: types.NewSchema(), Scan: &physical.ScanSpec{}}}
			_, err := pool.Run(context.Background(), spec)
			if asked != addr {
				t.Fatalf("Explain asked about %q, want %q", asked, addr)
			}
			if tc.why == nil {
				if !errors.Is(err, ErrExecutorLost) {
					t.Fatalf("want ErrExecutorLost, got %v", err)
				}
				return
			}
			if !errors.Is(err, task.ErrOOMKilled) || errors.Is(err, ErrExecutorLost) || task.ClassOf(err) != task.Retryable {
				t.Fatalf("want a retryable ErrOOMKilled that is not ErrExecutorLost, got %v", err)
			}
			if !strings.Contains(err.Error(), "OOM-killed by Nomad (memory 128 MB) while running stage 3 task 7") {
				t.Fatalf("error does not name the kill, stage and task: %v", err)
			}
		})
	}
}
