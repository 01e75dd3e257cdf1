package engine

import (
	"testing"

	"github.com/drover-etl/drover/jobspec"
)

func TestPartitionsFromInputSize(t *testing.T) {
	for _, tc := range []struct {
		name  string
		job   int
		flag  int
		bytes int64
		want  int
	}{
		{"small input: twice the slots", 0, 0, 10 << 20, 8},
		{"one per 64 MiB", 0, 0, 100 * PartitionInputBytes, 100},
		{"capped", 0, 0, 5000 * PartitionInputBytes, MaxAutoPartitions},
		{"the job's setting wins", 3, 0, 100 * PartitionInputBytes, 3},
		{"the flag wins", 3, 5, 100 * PartitionInputBytes, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := partitions(&jobspec.Job{Partitions: tc.job}, Options{Parallelism: 4, Partitions: tc.flag}, tc.bytes)
			if got != tc.want {
				t.Fatalf("partitions = %d, want %d", got, tc.want)
			}
		})
	}
}
