package cluster

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	consul "github.com/hashicorp/consul/api"
	nomad "github.com/hashicorp/nomad/api"

	"github.com/drover-etl/drover/remote"
	"github.com/drover-etl/drover/task"
)

// Sentinel errors.
var (
	ErrNomadUnreachable  = errors.New("nomad unreachable")
	ErrConsulUnreachable = errors.New("consul unreachable")
	ErrPlacement         = errors.New("nomad could not place the executors")
	ErrNeverHealthy      = errors.New("no executor became healthy")
)

// Cluster is one run's executors.
type Cluster struct {
	cfg     Config
	nomad   *nomad.Client
	consul  *consul.Client
	JobID   string
	Service string
	run     string
	pool    *remote.Pool
	stop    context.CancelFunc
	watched sync.WaitGroup
	mu      sync.Mutex
	scaleMu sync.Mutex
	count   int
	closed  bool
	allocs  map[string]string // executor address → allocation ID
	// Adopted: the run's executor job was running and is re-used
	// (Config.Adopt).
	Adopted bool
}

// Start registers the executor job, waits until Nomad has placed it and
// at least one executor passes its Consul health check, and keeps the
// pool in step with Consul from then on. Nomad and Consul settings come
// from NOMAD_* and CONSUL_HTTP_* environment variables.
func Start(ctx context.Context, cfg Config, job, run string) (*Cluster, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	c := &Cluster{cfg: cfg, JobID: ExecutorJobID(job, run), Service: ServiceName(job, run), run: run,
		pool: remote.NewPool(cfg.SlotsPerExecutor), count: cfg.Executors, allocs: map[string]string{}}
	c.pool.Explain = c.explainLoss
	if err := c.connect(); err != nil {
		return nil, err
	}
	c.pool.SetExpected(cfg.MaxExecutors)
	adopted, err := c.adopt(ctx)
	if err != nil {
		return nil, err
	}
	c.Adopted = adopted
	if !adopted {
		if err := c.launch(ctx); err != nil {
			return nil, err
		}
	}
	wctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	c.stop = stop
	c.watched.Add(2)
	go c.watch(wctx)
	go func() {
		defer c.watched.Done()
		c.pool.KeepAlive(wctx, remote.DefaultRenewInterval) // the executors' lease
	}()
	if err := c.waitHealthy(ctx); err != nil {
		c.Close(context.WithoutCancel(ctx))
		return nil, err
	}
	return c, nil
}

// launch registers the executor job with new run credentials.
func (c *Cluster) launch(ctx context.Context) error {
	secrets, err := c.runCredentials(c.run)
	if err != nil {
		return err
	}
	if err := c.putSecrets(secrets); err != nil {
		return err
	}
	if err := c.register(ctx); err != nil {
		c.purge(context.WithoutCancel(ctx))
		return err
	}
	return nil
}

// Executor is the pool the driver schedules on.
func (c *Cluster) Executor() task.Executor { return c.pool }

// Pool exposes the pool (live executors, for tests and progress).
func (c *Cluster) Pool() *remote.Pool { return c.pool }

func (c *Cluster) connect() error {
	ncfg := nomad.DefaultConfig()
	n, err := nomad.NewClient(ncfg)
	if err != nil {
		return fmt.Errorf("%w at %s: %v", ErrNomadUnreachable, ncfg.Address, err)
	}
	if _, err := n.Status().Leader(); err != nil {
		return fmt.Errorf("%w at %s: %v", ErrNomadUnreachable, ncfg.Address, err)
	}
	ccfg := consul.DefaultConfig()
	cc, err := consul.NewClient(ccfg)
	if err != nil {
		return fmt.Errorf("%w at %s: %v", ErrConsulUnreachable, ccfg.Address, err)
	}
	if _, err := cc.Status().Leader(); err != nil {
		return fmt.Errorf("%w at %s: %v", ErrConsulUnreachable, ccfg.Address, err)
	}
	c.nomad, c.consul = n, cc
	return nil
}

// register submits the job and waits for its evaluation; a placement
// failure comes back with Nomad's own reasons.
func (c *Cluster) register(ctx context.Context) error {
	wctx, cancel := context.WithTimeout(ctx, nomadCallTimeout)
	defer cancel()
	resp, _, err := c.nomad.Jobs().Register(executorJob(&c.cfg, c.JobID, c.Service, c.run), (&nomad.WriteOptions{}).WithContext(wctx))
	if err != nil {
		return fmt.Errorf("register executor job %s: %w", c.JobID, err)
	}
	return c.waitEval(ctx, resp.EvalID)
}

func (c *Cluster) waitEval(ctx context.Context, evalID string) error {
	deadline := time.Now().Add(c.cfg.HealthyTimeout)
	for time.Now().Before(deadline) {
		ev, _, err := c.nomad.Evaluations().Info(evalID, (&nomad.QueryOptions{}).WithContext(ctx))
		if err != nil {
			return fmt.Errorf("evaluation %s: %w", evalID, err)
		}
		if len(ev.FailedTGAllocs) > 0 {
			return fmt.Errorf("%w: %s", ErrPlacement, placementReason(ev.FailedTGAllocs))
		}
		if ev.Status == "complete" {
			return nil
		}
		if ev.Status == "failed" || ev.Status == "canceled" {
			return fmt.Errorf("evaluation %s %s: %s", evalID, ev.Status, ev.StatusDescription)
		}
		if err := sleep(ctx, 200*time.Millisecond); err != nil {
			return err
		}
	}
	return fmt.Errorf("evaluation %s did not complete in %s", evalID, c.cfg.HealthyTimeout)
}

// placementReason renders Nomad's allocation metrics the way `nomad job
// status` does: which resource ran out, on how many nodes.
func placementReason(failed map[string]*nomad.AllocationMetric) string {
	var parts []string
	for tg, m := range failed {
		p := fmt.Sprintf("group %q: %d node(s) evaluated", tg, m.NodesEvaluated)
		for dim, n := range m.DimensionExhausted {
			p += fmt.Sprintf("; %s exhausted on %d node(s)", dim, n)
		}
		for cons, n := range m.ConstraintFiltered {
			p += fmt.Sprintf("; constraint %s filtered %d node(s)", cons, n)
		}
		if m.NodesEvaluated == 0 {
			p += "; no client node is available"
		}
		parts = append(parts, p)
	}
	return fmt.Sprint(parts)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// putSecrets stores the S3 keys and the executor's run credentials in
// the job's Nomad variable (see Config.Secrets).
func (c *Cluster) putSecrets(run map[string]string) error {
	items := nomad.VariableItems{}
	for k, v := range c.cfg.Secrets {
		items[k] = v
	}
	for k, v := range run {
		items[k] = v
	}
	_, _, err := c.nomad.Variables().Update(&nomad.Variable{Path: variablePath(c.JobID), Items: items}, nil)
	if err != nil {
		return fmt.Errorf("store executor secrets in Nomad variable %s: %w", variablePath(c.JobID), err)
	}
	return nil
}
