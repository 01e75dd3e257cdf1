package cluster

import (
	"context"
	"fmt"
	"strings"
	"time"

	nomad "github.com/hashicorp/nomad/api"

	"github.com/drover-etl/drover/task"
)

// lossExplainWait bounds how long a lost executor's allocation is watched
// for Nomad's account of its end: the task event lands within a second or
// two of the kill; an executor that is merely unreachable never gets one.
const lossExplainWait = 5 * time.Second

// explainLoss tells the pool why the executor at addr went away: an
// error wrapping task.ErrOOMKilled when Nomad reports that the kernel
// killed it for its memory limit, nil otherwise (or when Nomad cannot say).
func (c *Cluster) explainLoss(ctx context.Context, addr string, since time.Time) error {
	c.mu.Lock()
	alloc := c.allocs[addr]
	c.mu.Unlock()
	if alloc == "" {
		return nil
	}
	deadline := time.Now().Add(lossExplainWait)
	for {
		qctx, cancel := context.WithTimeout(ctx, nomadCallTimeout)
		a, _, err := c.nomad.Allocations().Info(alloc, (&nomad.QueryOptions{}).WithContext(qctx))
		cancel()
		if err == nil {
			if ev, done := endEvent(a.TaskStates, since); done {
				if !oomKilled(ev) {
					return nil
				}
				return fmt.Errorf("executor %.8s (%s) was %w by Nomad (memory %d MB)", alloc, addr, task.ErrOOMKilled, c.cfg.MemoryMB)
			}
		}
		if time.Now().After(deadline) || sleep(ctx, 250*time.Millisecond) != nil {
			return nil
		}
	}
}

// endEvent finds the event that ended the executor task after since
// (Terminated: the process exited or was killed); done is false while
// Nomad has not recorded one.
func endEvent(states map[string]*nomad.TaskState, since time.Time) (*nomad.TaskEvent, bool) {
	ts := states["executor"]
	if ts == nil {
		return nil, false
	}
	// The clocks are the same host's or NTP-synced; allow a little skew.
	after := since.Add(-2 * time.Second).UnixNano()
	for i := len(ts.Events) - 1; i >= 0; i-- {
		ev := ts.Events[i]
		if ev.Time < after {
			break
		}
		if ev.Type == nomad.TaskTerminated {
			return ev, true
		}
	}
	return nil, false
}

// oomKilled reads Nomad's verdict: drivers that watch the task's memory
// cgroup (exec, docker) set oom_killed; raw_exec enforces no limit and
// never does.
func oomKilled(ev *nomad.TaskEvent) bool {
	return ev.Details["oom_killed"] == "true" || strings.Contains(ev.DisplayMessage, "OOM Killed")
}

// allocOf is the allocation an executor's Consul entry belongs to: the
// alloc_id meta the job sets, else the ID Nomad gives the service
// ("_nomad-task-<alloc ID>-...").
func allocOf(meta map[string]string, serviceID string) string {
	if id := meta["alloc_id"]; id != "" && !strings.Contains(id, "${") {
		return id
	}
	const prefix = "_nomad-task-"
	if strings.HasPrefix(serviceID, prefix) && len(serviceID) >= len(prefix)+36 {
		return serviceID[len(prefix) : len(prefix)+36]
	}
	return ""
}
