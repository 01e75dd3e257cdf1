package cluster

import (
	"context"

	nomad "github.com/hashicorp/nomad/api"
)

// tokenItem is the run's executor token in the job's Nomad variable.
const tokenItem = "DROVER_EXECUTOR_TOKEN"

// adopt takes over the run's executor job for a resumed run when it is
// still running: the executors keep running and the pool joins them with
// the token in the job's variable (left as it is, whatever else it holds).
// A job that ended (its executors outlived their grace without a driver)
// is purged, so launch can register it afresh. It reports whether it
// adopted.
func (c *Cluster) adopt(ctx context.Context) (bool, error) {
	if !c.cfg.Adopt {
		return false, nil
	}
	wctx, cancel := context.WithTimeout(ctx, nomadCallTimeout)
	defer cancel()
	q := (&nomad.QueryOptions{}).WithContext(wctx)
	job, _, err := c.nomad.Jobs().Info(c.JobID, q)
	if err != nil || job == nil {
		return false, nil // no such job (Nomad answers 404): launch one
	}
	running := job.Status != nil && *job.Status != "dead" && (job.Stop == nil || !*job.Stop)
	if running {
		if v, _, err := c.nomad.Variables().Read(variablePath(c.JobID), q); err == nil && v != nil && v.Items[tokenItem] != "" {
			c.pool.Token = v.Items[tokenItem]
			return true, nil
		}
	}
	if err := c.purge(context.WithoutCancel(ctx)); err != nil {
		return false, err
	}
	return false, nil
}
