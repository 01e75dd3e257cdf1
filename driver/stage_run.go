package driver

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/drover-etl/drover/journal"
	"github.com/drover-etl/drover/metrics"
	"github.com/drover-etl/drover/plan/physical"
	"github.com/drover-etl/drover/stage"
	"github.com/drover-etl/drover/task"
)

// runStage runs every partition of st, sampling first when its output is
// range-partitioned.
func (s *scheduler) runStage(ctx context.Context, st *stage.Stage) error {
	start := time.Now()
	n := s.adapt(st)
	s.mu.Lock()
	s.stageSt[st.ID] = &StageStats{ID: st.ID, Tasks: n, Adaptive: s.stageSt[st.ID].Adaptive}
	s.outs[st.ID] = make([]task.MapOutput, n)
	s.results[st.ID] = make([]*task.Result, n)
	s.mu.Unlock()
	s.demand(ctx, n)
	defer s.demand(ctx, -n)
	s.cfg.Progress.StageStarted(st.ID, n, s.describe(st))
	if err := s.rangeBounds(ctx, st); err != nil {
		return err
	}
	defer s.watchStage(ctx, st)()
	reused := s.reuse(st, n)
	var wg sync.WaitGroup
	errs := make([]error, n)
	for p := 0; p < n; p++ {
		if reused[p] {
			continue
		}
		wg.Add(1)
		go func(p int) {
			defer wg.Done()
			res, err := s.runTask(ctx, st, p, false)
			if err == nil {
				err = s.journalTask(ctx, res)
			}
			if err != nil {
				errs[p] = err
				return
			}
			s.record(st, p, res)
			s.cfg.Progress.TaskDone(st.ID, res.Metrics)
		}(p)
	}
	wg.Wait()
	if err := firstError(errs); err != nil {
		metrics.DriverStages.WithLabelValues("failed").Inc()
		return err
	}
	if err := s.journalEntry(ctx, journal.Entry{Kind: journal.KindStage, Stage: st.ID}); err != nil {
		return err
	}
	if err := s.crash(fmt.Sprintf("stage %d", st.ID)); err != nil {
		return err
	}
	metrics.DriverStages.WithLabelValues("succeeded").Inc()
	s.mu.Lock()
	s.stageSt[st.ID].Wall = time.Since(start)
	stats := *s.stageSt[st.ID]
	s.mu.Unlock()
	s.cfg.Progress.StageDone(st.ID, stats.Metrics, stats.Wall)
	return nil
}

// reuse records the tasks of st an earlier driver of this run finished
// (journaled, files still there): they are not run again, and they are
// reported as done, reused, before any other task of the stage starts.
func (s *scheduler) reuse(st *stage.Stage, n int) map[int]bool {
	var results []*task.Result
	reused := map[int]bool{}
	for p := 0; p < n; p++ {
		if res := s.resumedResult(st.ID, p); res != nil {
			s.record(st, p, res)
			reused[p] = true
			results = append(results, res)
		}
	}
	if len(results) == 0 {
		return reused
	}
	s.mu.Lock()
	s.stageSt[st.ID].Reused = len(results)
	s.mu.Unlock()
	if rp, ok := s.cfg.Progress.(ResumeProgress); ok {
		rp.TasksReused(st.ID, results)
	}
	return reused
}

// rangeBounds samples a range-partitioned stage's bounds and journals
// them; a resumed run reuses the journaled ones, which its finished
// tasks partitioned by.
func (s *scheduler) rangeBounds(ctx context.Context, st *stage.Stage) error {
	if st.Output == nil || st.Output.Kind != physical.PartRange {
		return nil
	}
	s.mu.Lock()
	_, have := s.bounds[st.ID]
	s.mu.Unlock()
	if have {
		return nil
	}
	if err := s.sampleBounds(ctx, st); err != nil {
		return fmt.Errorf("stage %d: sampling: %w", st.ID, err)
	}
	s.mu.Lock()
	b := s.bounds[st.ID]
	s.mu.Unlock()
	return s.journalEntry(ctx, journal.Entry{Kind: journal.KindBounds, Stage: st.ID, Bounds: b})
}

// demand adjusts the outstanding task count and tells the scaler.
func (s *scheduler) demand(ctx context.Context, delta int) {
	// Held across the call, so the scaler hears counts in the order they
	// were computed (a stale "0" must not land after a newer "5").
	s.demandMu.Lock()
	defer s.demandMu.Unlock()
	s.mu.Lock()
	s.pending += delta
	n := s.pending
	s.mu.Unlock()
	if s.cfg.Scaler != nil && ctx.Err() == nil {
		if err := s.cfg.Scaler.Demand(ctx, n); err != nil {
			s.cfg.Progress.TaskRetry(task.ID{Stage: -1}, fmt.Errorf("scaling executors: %w", err))
		}
	}
}

func firstError(errs []error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

func (s *scheduler) record(st *stage.Stage, p int, res *task.Result) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if res.Output != nil {
		s.outs[st.ID][p] = *res.Output
		s.gen[[2]int{st.ID, p}]++
	}
	s.results[st.ID][p] = res
	s.stageSt[st.ID].Metrics.Add(res.Metrics)
}

// runTask runs partition p of st until an attempt succeeds, the error is
// fatal, or attempts run out. A fetch failure re-runs the lost map task
// and tries again without counting against the attempt limit. Attempt
// numbers are unique per (stage, partition) for the whole run, so every
// attempt writes differently named files.
func (s *scheduler) runTask(ctx context.Context, st *stage.Stage, p int, sample bool) (*task.Result, error) {
	failures, losses := 0, 0
	for {
		if err := s.publishInputs(ctx, st); err != nil {
			return nil, err
		}
		spec, res, err := s.runRace(ctx, st, p, sample)
		if err == nil {
			if !sample {
				s.setInputs(st.ID, p, spec)
			}
			return res, nil
		}
		if ctx.Err() != nil {
			return nil, context.Cause(ctx)
		}
		switch task.ClassOf(err) {
		case task.Fatal:
			return nil, err
		case task.FetchFailed:
			if rerr := s.recoverFetch(ctx, err, spec); rerr != nil {
				return nil, rerr
			}
		default:
			if errors.Is(err, task.ErrExecutorLost) {
				// Not the task's fault; bounded separately, more generously.
				if losses++; losses >= 4*s.cfg.MaxAttempts {
					return nil, fmt.Errorf("task %d.%d lost its executor %d times, last: %w", st.ID, p, losses, err)
				}
				s.cfg.Progress.TaskRetry(spec.ID, err)
				if err := s.backoff(ctx, losses); err != nil {
					return nil, err
				}
				continue
			}
			failures++
			if failures >= s.cfg.MaxAttempts {
				return nil, fmt.Errorf("task %d.%d failed %d times, last: %w", st.ID, p, failures, err)
			}
			s.cfg.Progress.TaskRetry(spec.ID, err)
			if err := s.backoff(ctx, failures); err != nil {
				return nil, err
			}
		}
	}
}

func (s *scheduler) nextAttempt(stageID, p int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := [2]int{stageID, p}
	a := s.attempts[k]
	s.attempts[k] = a + 1
	return a
}

func (s *scheduler) countAttempt(stageID int) {
	s.mu.Lock()
	s.stageSt[stageID].Attempts++
	s.mu.Unlock()
}

// dispatch waits for a free slot and runs the task there, for at most
// Config.TaskTimeout.
func (s *scheduler) dispatch(ctx context.Context, spec *task.Spec) (*task.Result, error) {
	s.queue(1)
	select {
	case s.sem <- struct{}{}:
		s.queue(-1)
	case <-ctx.Done():
		s.queue(-1)
		return nil, context.Cause(ctx)
	}
	defer func() { <-s.sem }()
	s.attemptStarted(spec.ID)
	actx, stop := s.withTimeout(ctx)
	defer stop()
	s.cfg.Observer.TaskStarted(spec)
	res, err := s.cfg.Executor.Run(actx, spec)
	err = s.timedOut(ctx, actx, spec, err)
	s.cfg.Observer.TaskEnded(spec, res, err)
	return res, err
}

// spec builds the task spec for one attempt.
func (s *scheduler) spec(st *stage.Stage, p, attempt int, sample bool) *task.Spec {
	s.mu.Lock()
	defer s.mu.Unlock()
	spec := &task.Spec{
		ID:  task.ID{Stage: st.ID, Partition: p, Attempt: attempt},
		Job: s.cfg.Job, Run: s.cfg.Run,
		Fragment: st.Root, Output: st.Output, Bounds: s.bounds[st.ID],
		Sample: sample, Inputs: map[int][]task.MapOutput{},
		ShuffleDir: s.cfg.ShuffleDir, MemoryBytes: s.cfg.MemoryBytes,
	}
	for _, parent := range st.Parents {
		s.addInputs(spec, parent)
	}
	if ts := s.tasks[st.ID]; ts != nil {
		spec.Reads = ts[p]
	}
	if sk := s.sinkSpec[st.ID]; sk != nil {
		spec.StagingDir = sk.StagingDir
	}
	return spec
}

// recoverFetch re-runs the map task whose output a reducer could not read.
// Reducers that lose the same object at once wait for one re-run: whoever
// gets the lock second sees a newer output than its spec had and retries.
func (s *scheduler) recoverFetch(ctx context.Context, ferr error, spec *task.Spec) error {
	var te *task.Error
	if !asTaskError(ferr, &te) {
		return ferr
	}
	lock := s.recoveryLock(te.Stage, te.Partition)
	lock.Lock()
	defer lock.Unlock()
	s.mu.Lock()
	stale := s.specInputURL(spec, te.Stage, te.Partition) != s.outs[te.Stage][te.Partition].URL
	if !stale {
		s.fetchRec++
	}
	tooMany := s.fetchRec > s.cfg.MaxFetchRecoveries
	s.mu.Unlock()
	if stale {
		return nil
	}
	if tooMany {
		return fmt.Errorf("too many lost shuffle outputs, last: %w", ferr)
	}
	s.cfg.Progress.Recompute(te.Stage, te.Partition, ferr)
	parent := s.g.Stages[te.Stage]
	res, err := s.runTask(ctx, parent, te.Partition, false)
	if err == nil {
		err = s.journalTask(ctx, res)
	}
	if err != nil {
		return fmt.Errorf("recompute task %d.%d: %w", te.Stage, te.Partition, err)
	}
	s.record(parent, te.Partition, res)
	return nil
}

func (s *scheduler) recoveryLock(stageID, p int) *sync.Mutex {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := [2]int{stageID, p}
	if s.recovering[k] == nil {
		s.recovering[k] = &sync.Mutex{}
	}
	return s.recovering[k]
}
