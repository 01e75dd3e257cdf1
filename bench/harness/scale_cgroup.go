package harness

import (
	"fmt"
	"os/exec"

	"github.com/drover-etl/drover/internal/memcg"
	"github.com/drover-etl/drover/memory"
)

// cgroupCap is the allowance a budget is cut from: the cgroup cap under
// which Drover's default budget (memory.BudgetPercent of its cgroup's
// limit) is budget.
func cgroupCap(budget int64) int64 {
	return (budget*100 + memory.BudgetPercent - 1) / memory.BudgetPercent
}

// runInCgroup runs cmd measured in a new memory cgroup capped at limit
// bytes and removes the group after: whether the kernel OOM-killed it,
// and the group's peak usage.
func runInCgroup(cmd *exec.Cmd, limit int64) (s Sample, oom bool, peak int64, err error) {
	g, err := memcg.New("drover-scale", limit)
	if err != nil {
		return Sample{}, false, 0, fmt.Errorf("scale suite -cgroup: %w", err)
	}
	defer g.Remove()
	s, _, err = runMeasured(g.Command(cmd))
	kills, kerr := g.OOMKills()
	if kerr != nil && err == nil {
		err = kerr
	}
	return s, kills > 0, g.Peak(), err
}
