package adaptive

// Defaults, as Spark's: advisoryPartitionSizeInBytes 64 MiB,
// skewedPartitionFactor 5, skewedPartitionThresholdInBytes 256 MiB.
const (
	DefaultAdvisoryBytes      = 64 << 20
	DefaultMinPartitionBytes  = 1 << 20
	DefaultSkewFactor         = 5
	DefaultSkewThresholdBytes = 256 << 20
	DefaultBroadcastBytes     = 8 << 20
	DefaultMemoryFraction     = 0.5
)

// Config tunes adaptive execution. Zero fields take the defaults.
type Config struct {
	// Disabled turns adaptive execution off: every stage runs one task
	// per partition, as planned.
	Disabled bool
	// AdvisoryBytes is the size a coalesced or split task aims for.
	AdvisoryBytes int64
	// MinPartitionBytes is the smallest size coalescing aims for when it
	// keeps MinTasks tasks busy.
	MinPartitionBytes int64
	// MinTasks is how many tasks coalescing keeps when the data allows
	// (the slots, so that small stages still use them all).
	MinTasks int
	// SkewFactor and SkewThresholdBytes: a join partition is skewed when
	// it is larger than both SkewFactor × the median partition of its side
	// and SkewThresholdBytes.
	SkewFactor         float64
	SkewThresholdBytes int64
	// BroadcastBytes: a shuffled join whose build side totals at most
	// this many bytes runs as a broadcast join (negative: never).
	BroadcastBytes int64
	// TaskMemoryBytes is each task's fair share of the memory budget (the
	// pool over the slots; 0: unknown, no cap). A coalesced task, or a
	// piece of a split partition, then takes at most MemoryFraction of it
	// in input held in memory (the Arrow bytes the map tasks wrote), so
	// that its operators' own tables and buffers fit beside the input.
	TaskMemoryBytes int64
	// MemoryFraction is the share of TaskMemoryBytes a task's input may
	// take (default 0.5).
	MemoryFraction float64
}

func (c Config) withDefaults() Config {
	if c.AdvisoryBytes <= 0 {
		c.AdvisoryBytes = DefaultAdvisoryBytes
	}
	if c.MinPartitionBytes <= 0 {
		c.MinPartitionBytes = DefaultMinPartitionBytes
	}
	if c.MinTasks <= 0 {
		c.MinTasks = 1
	}
	if c.SkewFactor <= 0 {
		c.SkewFactor = DefaultSkewFactor
	}
	if c.SkewThresholdBytes <= 0 {
		c.SkewThresholdBytes = DefaultSkewThresholdBytes
	}
	if c.MemoryFraction <= 0 || c.MemoryFraction > 1 {
		c.MemoryFraction = DefaultMemoryFraction
	}
	if c.BroadcastBytes == 0 {
		c.BroadcastBytes = DefaultBroadcastBytes
	}
	return c
}

// target is the size coalescing aims for: the advisory size, lowered so
// that the stage still gets MinTasks tasks, but not below
// MinPartitionBytes (Spark's ShufflePartitionsUtil does the same).
func (c Config) target(total int64) int64 {
	t := c.AdvisoryBytes
	if per := (total + int64(c.MinTasks) - 1) / int64(c.MinTasks); per < t {
		t = max(per, c.MinPartitionBytes)
	}
	return max(t, 1)
}

// memCap is the in-memory input bytes one task may take (0: no cap).
func (c Config) memCap() int64 {
	if c.TaskMemoryBytes <= 0 {
		return 0
	}
	return max(int64(float64(c.TaskMemoryBytes)*c.MemoryFraction), 1)
}
