package main

import (
	"testing"

	"github.com/drover-etl/drover/cluster"
	"github.com/drover-etl/drover/memory"
)

func TestExecutorPool(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "NOMAD_MEMORY_LIMIT" {
				return v
			}
			return ""
		}
	}
	for _, tc := range []struct {
		name  string
		flag  int64
		nomad string
		want  int64
	}{
		{"flag wins", 5 << 20, "1024", 5 << 20},
		{"nomad memory", 0, "1000", memory.Budget(1000 << 20)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := executorPool(tc.flag, env(tc.nomad))
			if err != nil || p.Limit() != tc.want {
				t.Fatalf("limit %v, %v; want %d", p, err, tc.want)
			}
		})
	}
	if _, err := executorPool(0, env("lots")); err == nil {
		t.Fatal("a garbled NOMAD_MEMORY_LIMIT was accepted")
	}
	p, err := executorPool(0, env(""))
	if err != nil || p.Limit() <= 0 {
		t.Fatalf("machine default: %v, %v", p, err)
	}
}

func TestLocalPool(t *testing.T) {
	for _, tc := range []struct {
		name       string
		flag, task int64
		slots      int
		want       int64
	}{
		{"--memory", 100, 7, 4, 100},
		{"--task-memory per slot", 0, 10 << 20, 4, 40 << 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := localPool(tc.flag, tc.task, tc.slots)
			if err != nil || p.Limit() != tc.want {
				t.Fatalf("limit %v, %v; want %d", p, err, tc.want)
			}
		})
	}
	p, err := localPool(0, 0, 4)
	if err != nil || p.Limit() <= 0 {
		t.Fatalf("machine default: %v, %v", p, err)
	}
}

// Adaptive execution's per-task budget is the pool's fair share per slot:
// locally the pool over the slots, on a cluster the executor's budget
// share of its Nomad memory over its slots.
func TestTaskMemory(t *testing.T) {
	if got := localTaskMemory(memory.NewPool(512<<20), 2); got != 256<<20 {
		t.Fatalf("local: %d, want 256 MiB", got)
	}
	for _, tc := range []struct {
		mb, slots int
		want      int64
	}{
		{1024, 2, memory.Budget(1024<<20) / 2},
		{1024, 0, memory.Budget(1024 << 20)},
		{0, 2, 0},
	} {
		if got := clusterTaskMemory(cluster.Config{MemoryMB: tc.mb, SlotsPerExecutor: tc.slots}); got != tc.want {
			t.Fatalf("cluster %d MB, %d slots: %d, want %d", tc.mb, tc.slots, got, tc.want)
		}
	}
}
