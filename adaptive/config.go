package adaptive

// Defaults, as Spark's: advisoryPartitionSizeInBytes 64 MiB,
// skewedPartitionFactor 5, skewedPartitionThresholdInBytes 256 MiB.
const (
	DefaultAdvisoryBytes      = 64 << 20
	DefaultMinPartitionBytes  = 1 << 20
	DefaultSkewFactor         = 5
	DefaultSkewThresholdBytes = 256 << 20
	DefaultBroadcastBytes     = 8 << 20
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
