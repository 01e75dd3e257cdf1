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
	return d.Coalesced || len(d.Skew) > 0 || d.Broadcast != nil
}

// String reads like "stage 3: 200 partitions coalesced into 12 tasks;
// partition 7 split into 4 (skew on the left side: 310.0 MiB vs median
// 4.0 MiB)".
func (d Decision) String() string {
	return fmt.Sprintf("stage %d: %s", d.Stage, d.Changes())
}

// Changes is String without the stage.
func (d Decision) Changes() string {
	parts := []string{fmt.Sprintf("%d partitions run as %s", d.Partitions, tasks(d.Tasks))}
	if d.Coalesced {
		parts[0] = fmt.Sprintf("%d partitions coalesced into %s", d.Partitions, tasks(d.Tasks))
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

func tasks(n int) string {
	if n == 1 {
		return "1 task"
	}
	return fmt.Sprintf("%d tasks", n)
}
