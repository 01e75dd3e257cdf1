package adaptive

import (
	"fmt"
	"strings"
)

// Decision records what adaptive execution did to one stage; it is kept
// in the run summary and printed by explain after the run.
type Decision struct {
	Stage int `json:"stage"`
	// Partitions is the planned partition count; Tasks what ran.
	Partitions int  `json:"partitions"`
	Tasks      int  `json:"tasks"`
	Coalesced  bool `json:"coalesced,omitempty"`
	// MemoryCap is set when the task memory budget bounded coalescing:
	// the in-memory input bytes a task could take (Config.memCap), from
	// TaskMemory, with the tasks it took beyond the advisory size alone.
	MemoryCap  int64 `json:"memory_cap,omitempty"`
	TaskMemory int64 `json:"task_memory,omitempty"`
	// OverCap counts the partitions expected larger in memory than the cap
	// on their own: they run as one task each and may spill.
	OverCap int `json:"over_cap,omitempty"`
	// Skew lists the split join partitions.
	Skew []Skew `json:"skew,omitempty"`
	// Broadcast is set when a shuffled join ran as a broadcast join.
	Broadcast *Broadcast `json:"broadcast,omitempty"`
}

// Skew is one skewed join partition split into Tasks tasks.
type Skew struct {
	Partition int    `json:"partition"`
	Side      string `json:"side"` // left or right
	Tasks     int    `json:"tasks"`
	Bytes     int64  `json:"bytes"`
	Median    int64  `json:"median"`
}

// Broadcast is a shuffled join switched to broadcast.
type Broadcast struct {
	BuildStage int   `json:"build_stage"`
	BuildBytes int64 `json:"build_bytes"`
}

func (d Decision) changed() bool {
	return d.Coalesced || d.MemoryCap > 0 || d.OverCap > 0 || len(d.Skew) > 0 || d.Broadcast != nil
}

// String reads like "stage 3: 200 partitions coalesced into 12 tasks (cap
// 128.0 MiB in memory from the task budget of 256.0 MiB); partition 7
// split into 4 (skew on the left side: 310.0 MiB vs median 4.0 MiB)".
func (d Decision) String() string {
	return fmt.Sprintf("stage %d: %s", d.Stage, d.Changes())
}

// Changes is String without the stage.
func (d Decision) Changes() string {
	parts := []string{fmt.Sprintf("%d partitions run as %s", d.Partitions, tasks(d.Tasks))}
	if d.Coalesced {
		parts[0] = fmt.Sprintf("%d partitions coalesced into %s", d.Partitions, tasks(d.Tasks))
	}
	if d.MemoryCap > 0 {
		parts[0] += fmt.Sprintf(" (cap %s in memory from the task budget of %s)", Size(d.MemoryCap), Size(d.TaskMemory))
	}
	if d.OverCap > 0 {
		parts = append(parts, fmt.Sprintf("%s over the memory cap alone (may spill)", count(d.OverCap, "partition")))
	}
	for _, s := range d.Skew {
		parts = append(parts, fmt.Sprintf("partition %d split into %d (skew on the %s side: %s vs median %s)",
			s.Partition, s.Tasks, s.Side, Size(s.Bytes), Size(s.Median)))
	}
	if b := d.Broadcast; b != nil {
		parts = append(parts, fmt.Sprintf("join switched to broadcast (build side: stage %d, %s)", b.BuildStage, Size(b.BuildBytes)))
	}
	return strings.Join(parts, "; ")
}

// Size renders a byte count for decisions.
func Size(b int64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(b)/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(b)/(1<<10))
	}
	return fmt.Sprintf("%d B", b)
}

func tasks(n int) string { return count(n, "task") }

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
