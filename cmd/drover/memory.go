package main

import (
	"fmt"
	"os"

	"github.com/drover-etl/drover/cluster"
	"github.com/drover-etl/drover/memory"
)

// executorPool sizes a cluster executor's pool, shared by its slots:
// --memory when set, else a share (memory.BudgetPercent) of the memory
// Nomad gives the task, else of the machine's (or cgroup's).
func executorPool(flag int64, getenv func(string) string) (*memory.Pool, error) {
	if flag > 0 {
		return memory.NewPool(flag), nil
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
	return memory.NewPool(memory.Budget(total)), nil
}

// localPool sizes `drover run`'s pool, shared by its slots: --memory
// when set, else --task-memory for each slot, else a share of the
// machine's (or cgroup's) memory.
func localPool(flag, taskMemory int64, slots int) (*memory.Pool, error) {
	switch {
	case flag > 0:
		return memory.NewPool(flag), nil
	case taskMemory > 0:
		return memory.NewPool(taskMemory * int64(max(slots, 1))), nil
	}
	total, err := memory.SystemBytes()
	if err != nil {
		return nil, fmt.Errorf("%w (set --memory)", err)
	}
	return memory.NewPool(memory.Budget(total)), nil
}

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
// cgroup's). Only the commands call it, not the pool constructors (tests
// build pools).
func withRuntimeLimit(p *memory.Pool) *memory.Pool {
	memory.SetRuntimeLimit(p.Limit(), memory.HardLimit(os.Getenv), os.Getenv)
	return p
}
