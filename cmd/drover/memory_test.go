package main

import (
	"io"
	"strings"
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
			p, err := executorPool(tc.flag, env(tc.nomad), memory.Hard{}, io.Discard)
			if err != nil || p.Limit() != tc.want {
				t.Fatalf("limit %v, %v; want %d", p, err, tc.want)
			}
		})
	}
	if _, err := executorPool(0, env("lots"), memory.Hard{}, io.Discard); err == nil {
		t.Fatal("a garbled NOMAD_MEMORY_LIMIT was accepted")
	}
	p, err := executorPool(0, env(""), memory.Hard{}, io.Discard)
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
			p, err := localPool(tc.flag, tc.task, tc.slots, memory.Hard{}, io.Discard)
			if err != nil || p.Limit() != tc.want {
				t.Fatalf("limit %v, %v; want %d", p, err, tc.want)
			}
		})
	}
	p, err := localPool(0, 0, 4, memory.Hard{}, io.Discard)
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

// An explicit budget that cannot fit under a known hard limit is cut to
// the share of it a default budget would be, with one warning naming both
// and the limit's source; one that fits is left alone, silently.
func TestBudgetClampedToHardLimit(t *testing.T) {
	const mib = 1 << 20
	cg := memory.Hard{Bytes: 256 * mib, Source: "cgroup /sys/fs/cgroup/memory/x/memory.limit_in_bytes"}
	nomad := func(k string) string {
		if k == "NOMAD_MEMORY_LIMIT" {
			return "512"
		}
		return ""
	}
	for _, tc := range []struct {
		name       string
		pool       func(hard memory.Hard, warn io.Writer) (*memory.Pool, error)
		hard       memory.Hard
		want       int64
		wantInWarn []string // empty: no warning
	}{
		{"run --memory over the cgroup's share", func(h memory.Hard, w io.Writer) (*memory.Pool, error) {
			return localPool(512*mib, 0, 2, h, w)
		}, cg, memory.Budget(256 * mib), []string{"--memory (512.0 MiB)", "256.0 MiB", cg.Source, "153.6 MiB"}},
		{"run --memory that fits", func(h memory.Hard, w io.Writer) (*memory.Pool, error) {
			return localPool(100*mib, 0, 2, h, w)
		}, cg, 100 * mib, nil},
		{"run --task-memory × slots over it", func(h memory.Hard, w io.Writer) (*memory.Pool, error) {
			return localPool(0, 100*mib, 2, h, w)
		}, cg, memory.Budget(256 * mib), []string{"--task-memory 100.0 MiB × 2 slots (200.0 MiB)", cg.Source}},
		{"run --memory, no hard limit known", func(h memory.Hard, w io.Writer) (*memory.Pool, error) {
			return localPool(8<<30, 0, 2, h, w)
		}, memory.Hard{}, 8 << 30, nil},
		{"executor --memory over Nomad's share", func(h memory.Hard, w io.Writer) (*memory.Pool, error) {
			return executorPool(400*mib, nomad, h, w)
		}, memory.Hard{Bytes: 512 * mib, Source: "NOMAD_MEMORY_LIMIT=512 (MB)"}, memory.Budget(512 * mib),
			[]string{"--memory (400.0 MiB)", "512.0 MiB (NOMAD_MEMORY_LIMIT=512 (MB))"}},
		{"executor default under a cgroup smaller than Nomad's memory", func(h memory.Hard, w io.Writer) (*memory.Pool, error) {
			return executorPool(0, nomad, h, w)
		}, cg, memory.Budget(256 * mib), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var warn strings.Builder
			p, err := tc.pool(tc.hard, &warn)
			if err != nil || p.Limit() != tc.want {
				t.Fatalf("limit %v, %v; want %d", p, err, tc.want)
			}
			if len(tc.wantInWarn) == 0 {
				if warn.Len() > 0 {
					t.Fatalf("unexpected warning %q", warn.String())
				}
				return
			}
			if strings.Count(warn.String(), "\n") != 1 {
				t.Fatalf("want one warning line, got %q", warn.String())
			}
			for _, s := range tc.wantInWarn {
				if !strings.Contains(warn.String(), s) {
					t.Errorf("warning %q does not say %q", warn.String(), s)
				}
			}
		})
	}
}
