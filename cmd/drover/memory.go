package main

import (
	"fmt"
	"io"
	"os"

	"github.com/drover-etl/drover/cluster"
	"github.com/drover-etl/drover/memory"
)

// executorPool sizes a cluster executor's pool, shared by its slots:
// --memory when set, else a share (memory.BudgetPercent) of the memory
// Nomad gives the task, else of the machine's (or cgroup's); never more
// than that share of the hard limit (clampBudget).
func executorPool(flag int64, getenv func(string) string, hard memory.Hard, warn io.Writer) (*memory.Pool, error) {
	if flag > 0 {
		return memory.NewPool(clampBudget(flag, "--memory", hard, warn)), nil
	}
	total, err := memory.NomadBytes(getenv)
	if err != nil {
		return nil, err
	}
	if total == 0 {
		if total, err = memory.SystemBytes(); err != nil {
			return nil, fmt.Errorf("%w (set --memory)", err)
		}
	}
	if hard.Bytes > 0 {
		total = min(total, hard.Bytes)
	}
	return memory.NewPool(memory.Budget(total)), nil
}

// localPool sizes `drover run`'s pool, shared by its slots: --memory
// when set, else --task-memory for each slot, else a share of the
// machine's (or cgroup's) memory; never more than that share of the hard
// limit (clampBudget).
func localPool(flag, taskMemory int64, slots int, hard memory.Hard, warn io.Writer) (*memory.Pool, error) {
	switch {
	case flag > 0:
		return memory.NewPool(clampBudget(flag, "--memory", hard, warn)), nil
	case taskMemory > 0:
		n := int64(max(slots, 1))
		what := fmt.Sprintf("--task-memory %s × %d slots", mibs(taskMemory), n)
		return memory.NewPool(clampBudget(taskMemory*n, what, hard, warn)), nil
	}
	total, err := memory.SystemBytes()
	if err != nil {
		return nil, fmt.Errorf("%w (set --memory)", err)
	}
	return memory.NewPool(memory.Budget(total)), nil
}

// clampBudget is an explicit budget (what names its flag) cut to
// memory.Budget of the known hard limit when it exceeds it, with one
// warning on warn: a budget the process would be killed before reaching
// never spills in time. The rest of the hard limit is for what the
// budget does not count (docs/operations.md, Memory budget).
func clampBudget(want int64, what string, hard memory.Hard, warn io.Writer) int64 {
	fit := memory.Budget(hard.Bytes)
	if hard.Bytes <= 0 || want <= fit {
		return want
	}
	fmt.Fprintf(warn, "drover: warning: %s (%s) does not fit under the hard memory limit of %s (%s); using %d %% of it, %s\n",
		what, mibs(want), mibs(hard.Bytes), hard.Source, memory.BudgetPercent, mibs(fit))
	return fit
}

func mibs(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

// localTaskMemory is each local task's fair share of the pool its slots
// share, for adaptive execution's cap on a coalesced task's input.
func localTaskMemory(p *memory.Pool, slots int) int64 {
	return p.Limit() / int64(max(slots, 1))
}

// clusterTaskMemory is each cluster task's fair share of its executor's
// pool as executorPool sizes it under Nomad (a share of the executor's
// memory, shared by its slots).
func clusterTaskMemory(cfg cluster.Config) int64 {
	mb := int64(cfg.MemoryMB)
	if mb <= 0 {
		return 0 // the cluster's default, not known here: no cap
	}
	return memory.Budget(mb<<20) / int64(max(cfg.SlotsPerExecutor, 1))
}

// withRuntimeLimit sets the Go runtime's soft memory limit from p's size
// (memory.SetRuntimeLimit): without it garbage lets the heap grow to twice
// what the operators hold, past the memory the budget was cut from. It
// stays below the hard limit when one is known (Nomad's memory, the
// cgroup's: hard, read once by the command for the pool too). Only the
// commands call it, not the pool constructors (tests build pools). The
// heap it allows is advised onto huge pages first (memory.AdviseHeapHugePages),
// unless the process is killed below minHugeHard: a huge page faulted in
// for a few bytes counts whole against the limit.
func withRuntimeLimit(p *memory.Pool, hard memory.Hard) *memory.Pool {
	if hard.Bytes <= 0 || hard.Bytes >= minHugeHard {
		memory.AdviseHeapHugePages(memory.RuntimeLimit(p.Limit(), hard.Bytes), os.Getenv)
	}
	memory.SetRuntimeLimit(p.Limit(), hard.Bytes, os.Getenv)
	return p
}

// minHugeHard is the smallest hard memory limit under which the heap is
// advised onto huge pages.
const minHugeHard = 2 << 30

// hardLimit is what this process is killed at, if known (Nomad's memory
// for the task, its cgroup's limit).
func hardLimit() memory.Hard { return memory.HardLimitOf(os.Getenv) }
