package cluster

import (
	"context"

	nomad "github.com/hashicorp/nomad/api"
)

// adopt takes over the run's executor job for a resumed run when it is
// still running: the executors keep running and the pool joins them with
// the token in the job's variable and a client certificate from the run's
// CA (both left as they are).
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
		ok, err := c.adoptCredentials(q)
		if err != nil {
			return false, err
		}
		if ok {
			return true, nil
		}
	}
	if err := c.purge(context.WithoutCancel(ctx)); err != nil {
		return false, err
	}
	return false, nil
}
