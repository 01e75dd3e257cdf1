package driver

import (
	"context"
	"sort"

	"github.com/drover-etl/drover/commit"
	"github.com/drover-etl/drover/runlease"
)

// startLease writes the run's record into its shuffle directory and keeps
// it renewed, so that if this process dies `drover gc` knows the run
// crashed and what it left (nil lease without a shuffle directory).
func (s *scheduler) startLease(ctx context.Context, sinks []*commit.Sink) (*runlease.Lease, error) {
	if s.cfg.ShuffleDir == "" {
		return nil, nil
	}
	rec := runlease.Record{Job: s.cfg.Job, Run: s.cfg.Run}
	for _, sk := range sinks {
		rec.Sinks = append(rec.Sinks, commit.Canonical(sk.Spec.Path))
	}
	return runlease.Start(ctx, s.cfg.ShuffleDir, rec, s.cfg.LeaseRenew, s.attemptCounts)
}

// attemptCounts lists how many attempts each map task has started.
func (s *scheduler) attemptCounts() []runlease.Attempts {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []runlease.Attempts
	for k, n := range s.attempts {
		if s.g.Stages[k[0]].Output != nil {
			out = append(out, runlease.Attempts{Stage: k[0], Partition: k[1], Count: n})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Stage != out[j].Stage {
			return out[i].Stage < out[j].Stage
		}
		return out[i].Partition < out[j].Partition
	})
	return out
}
