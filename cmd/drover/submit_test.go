package main

import (
	"testing"

	"github.com/drover-etl/drover/cluster"
	"github.com/drover-etl/drover/jobspec"
)

// TestClusterSlots: a cluster run plans for the executors it starts, the
// flag first, then the job's executors, then the default of 2.
func TestClusterSlots(t *testing.T) {
	for _, c := range []struct {
		flag, job, slots, want int
	}{
		{flag: 3, job: 8, slots: 2, want: 6},
		{flag: 0, job: 8, slots: 2, want: 16},
		{flag: 0, job: 0, slots: 2, want: 4},
		{flag: 0, job: 5, slots: 0, want: 5},
	} {
		got := clusterSlots(cluster.Config{Executors: c.flag, SlotsPerExecutor: c.slots}, &jobspec.Job{Executors: c.job})
		if got != c.want {
			t.Errorf("flag %d, job %d, slots %d: %d slots, want %d", c.flag, c.job, c.slots, got, c.want)
		}
	}
}
