package main

import (
	"github.com/drover-etl/drover/memory"
	"github.com/drover-etl/drover/plan/optimizer"
)

// maxLocalBroadcast bounds the broadcast threshold a local run derives from
// its memory budget: one task builds a broadcast table while the others
// wait for it (operator.BroadcastCache), so a very large build side is
// better shuffled and built in parallel pieces.
const maxLocalBroadcast = 256 << 20

// localBroadcastProbeRatio: past the optimizer's default threshold, a local
// run broadcasts a side only when the other is estimated at least this
// many times larger (optimizer.Config.BroadcastProbeRatio): its tasks are
// the probe side's splits, and a probe side of a few small files would run
// the join in one or two of them (TPC-H Q10: customer, one file, probing
// 1.5 M lineitem rows in a single task).
const localBroadcastProbeRatio = 2

// localBroadcastBytes is a local run's broadcast threshold when none was
// given: a sixteenth of the memory budget, between the optimizer's default
// and maxLocalBroadcast. In one process a broadcast table is built once and
// shared by every slot, and the probe side is never exchanged, so a larger
// build side costs memory only (DuckDB builds one of any size); Spark's
// small default guards the network and the driver, which a local run does
// not use. A table the pool then refuses still runs: each task builds, and
// spills, its own.
func localBroadcastBytes(budget int64) int64 {
	return min(max(budget/16, optimizer.DefaultBroadcastThreshold), maxLocalBroadcast)
}

// defaultLocalBroadcast sets both broadcast thresholds of a local run (the
// optimizer's, the adaptive switch's) from the budget where their flags
// left them at 0, the default.
func defaultLocalBroadcast(jf *jobFlags, af *adaptiveFlags, pool *memory.Pool) {
	b := localBroadcastBytes(pool.Limit())
	if jf.broadcast == 0 {
		jf.broadcast, jf.probeRatio = b, localBroadcastProbeRatio
	}
	if af.cfg.BroadcastBytes == 0 {
		af.cfg.BroadcastBytes = b
	}
}
