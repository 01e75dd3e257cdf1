package cluster

import (
	"context"
	"fmt"
	"strings"
	"time"

	nomad "github.com/hashicorp/nomad/api"

	"github.com/drover-etl/drover/gc"
)

// Reaper purges the executor jobs of runs that are gone (for `drover gc`).
type Reaper struct{ nomad *nomad.Client }

var _ gc.JobReaper = (*Reaper)(nil)

// NewReaper connects to Nomad as configured by the NOMAD_* variables.
func NewReaper() (*Reaper, error) {
	ncfg := nomad.DefaultConfig()
	n, err := nomad.NewClient(ncfg)
	if err != nil {
		return nil, fmt.Errorf("%w at %s: %v", ErrNomadUnreachable, ncfg.Address, err)
	}
	if _, err := n.Status().Leader(); err != nil {
		return nil, fmt.Errorf("%w at %s: %v", ErrNomadUnreachable, ncfg.Address, err)
	}
	return &Reaper{nomad: n}, nil
}

// Reap purges every Drover executor job that doomed accepts, with its
// Nomad variable (Nomad deregisters its Consul service as its
// allocations stop), and returns their IDs. It goes on past a job it
// cannot purge and returns the first error.
func (r *Reaper) Reap(ctx context.Context, doomed func(gc.Job) bool) ([]string, error) {
	stubs, _, err := r.nomad.Jobs().PrefixList("drover-")
	if err != nil {
		return nil, fmt.Errorf("list Nomad jobs: %w", err)
	}
	var purged []string
	var first error
	for _, st := range stubs {
		if !strings.HasSuffix(st.ID, "-executors") {
			continue
		}
		// The listing's meta depends on the server version; Info has it.
		job, _, err := r.nomad.Jobs().Info(st.ID, (&nomad.QueryOptions{}).WithContext(ctx))
		if err != nil || job.Meta[MetaRun] == "" {
			continue // gone meanwhile, or not a job this Drover made
		}
		j := gc.Job{ID: st.ID, Run: job.Meta[MetaRun], ShuffleDir: job.Meta[MetaShuffleDir],
			Submitted: time.Unix(0, st.SubmitTime), Dead: st.Status == "dead"}
		if !doomed(j) {
			continue
		}
		if err := purgeJob(ctx, r.nomad, st.ID); err != nil {
			if first == nil {
				first = err
			}
			continue
		}
		purged = append(purged, st.ID)
	}
	return purged, first
}

// purgeJob stops and purges a job and deletes its variables.
func purgeJob(ctx context.Context, n *nomad.Client, id string) error {
	wctx, cancel := context.WithTimeout(ctx, nomadCallTimeout)
	defer cancel()
	if _, _, err := n.Jobs().Deregister(id, true, (&nomad.WriteOptions{}).WithContext(wctx)); err != nil {
		return fmt.Errorf("purge executor job %s: %w", id, err)
	}
	for _, path := range []string{variablePath(id), caPath(id)} {
		if _, err := n.Variables().Delete(path, (&nomad.WriteOptions{}).WithContext(wctx)); err != nil {
			return fmt.Errorf("delete Nomad variable %s: %w", path, err)
		}
	}
	return nil
}
