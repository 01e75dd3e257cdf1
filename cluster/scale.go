package cluster

import (
	"context"
	"fmt"
	"time"

	nomad "github.com/hashicorp/nomad/api"
)

// nomadCallTimeout bounds each Nomad API call, so a stalled server fails
// the call instead of hanging the scheduler.
const nomadCallTimeout = 30 * time.Second

// Scale sets the executor count through Nomad's scale API.
func (c *Cluster) Scale(ctx context.Context, n int) error {
	c.scaleMu.Lock() // one Nomad call at a time, so Nomad ends at the last count asked
	defer c.scaleMu.Unlock()
	c.mu.Lock()
	if c.closed || n == c.count {
		c.mu.Unlock()
		return nil
	}
	c.count = n
	c.mu.Unlock()
	c.pool.SetExpected(n)
	wctx, cancel := context.WithTimeout(ctx, nomadCallTimeout)
	defer cancel()
	_, _, err := c.nomad.Jobs().Scale(c.JobID, groupName, &n, fmt.Sprintf("drover: scale executors to %d", n), false, nil,
		(&nomad.WriteOptions{}).WithContext(wctx))
	if err != nil {
		return fmt.Errorf("scale %s to %d: %w", c.JobID, n, err)
	}
	return nil
}

// Demand is told how many tasks are ready to run; it scales the group to
// fit them, within MinExecutors..MaxExecutors (dynamic allocation).
func (c *Cluster) Demand(ctx context.Context, tasks int) error {
	want := (tasks + c.cfg.SlotsPerExecutor - 1) / c.cfg.SlotsPerExecutor
	want = min(max(want, c.cfg.MinExecutors), c.cfg.MaxExecutors)
	c.mu.Lock()
	shrink := want < c.count
	c.mu.Unlock()
	if shrink && tasks > 0 {
		// Nomad picks which allocations to stop; while tasks are running
		// it could stop a busy executor, so shrink only when idle.
		return nil
	}
	return c.Scale(ctx, want)
}

// Close scales the executors to zero, asks them to exit, then stops and
// purges the job, so no executor and no job is left behind.
func (c *Cluster) Close(ctx context.Context) error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.mu.Unlock()
	scaleErr := c.Scale(ctx, 0)
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	c.pool.Shutdown(sctx)
	cancel()
	if c.stop != nil {
		c.stop()
		c.watched.Wait()
	}
	c.pool.Close()
	if err := c.purge(ctx); err != nil {
		return err
	}
	return scaleErr
}

func (c *Cluster) purge(ctx context.Context) error {
	if c.nomad == nil {
		return nil
	}
	// Retried: a job left behind keeps executors (and their secrets) alive.
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		wctx, cancel := context.WithTimeout(ctx, nomadCallTimeout)
		_, _, err = c.nomad.Jobs().Deregister(c.JobID, true, (&nomad.WriteOptions{}).WithContext(wctx))
		cancel()
		if err == nil {
			break
		}
		sleep(ctx, time.Second)
	}
	wctx, cancel := context.WithTimeout(ctx, nomadCallTimeout)
	defer cancel()
	c.nomad.Variables().Delete(variablePath(c.JobID), (&nomad.WriteOptions{}).WithContext(wctx))
	c.nomad.Variables().Delete(caPath(c.JobID), (&nomad.WriteOptions{}).WithContext(wctx))
	if err != nil {
		return fmt.Errorf("stop executor job %s: %w", c.JobID, err)
	}
	return nil
}
