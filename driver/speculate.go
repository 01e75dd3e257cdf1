package driver

import (
	"context"
	"errors"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/drover-etl/drover/stage"
	"github.com/drover-etl/drover/task"
)

// Speculation configures speculative copies of straggling tasks, after
// Spark's spark.speculation: once Quantile of a stage's tasks finished,
// a task running longer than Multiplier times their median duration (and
// longer than MinRuntime) gets one copy on another executor, if a slot is
// free and no other attempt waits for one. The first success wins; the
// other attempt is cancelled and its result ignored (the commit publishes
// only winners' files and removes the rest). A copy never counts as a
// failed attempt.
type Speculation struct {
	Enabled bool
	// Multiplier of the median duration that makes a task slow (default 1.5).
	Multiplier float64
	// Quantile of the stage's tasks that must have finished (default 0.75).
	Quantile float64
	// MinRuntime: tasks running less are never copied (default 1s).
	MinRuntime time.Duration
	// MinTasks: stages with fewer tasks are never watched (default 2).
	MinTasks int
	// Interval between checks of a running stage (default 100ms).
	Interval time.Duration
}

func (c Speculation) withDefaults() Speculation {
	if c.Multiplier <= 0 {
		c.Multiplier = 1.5
	}
	if c.Quantile <= 0 || c.Quantile > 1 {
		c.Quantile = 0.75
	}
	if c.MinRuntime <= 0 {
		c.MinRuntime = time.Second
	}
	if c.MinTasks <= 0 {
		c.MinTasks = 2
	}
	if c.Interval <= 0 {
		c.Interval = 100 * time.Millisecond
	}
	return c
}

// SpeculationProgress is a Progress that also hears about speculative
// copies (the CLI's progress lines implement it).
type SpeculationProgress interface {
	// TaskSpeculated: copy was launched because attempt of had run for
	// elapsed, more than threshold.
	TaskSpeculated(copy, of task.ID, elapsed, threshold time.Duration)
	// SpeculationDecided: winner finished first; loser was cancelled.
	SpeculationDecided(winner, loser task.ID)
}

// errRaceLost cancels the attempt that lost to a faster copy.
var errRaceLost = errors.New("another attempt of the task finished first")

// stageWatch follows a running stage's tasks for speculation.
type stageWatch struct {
	tasks   int
	running map[int]*race   // by partition
	done    []time.Duration // finished tasks' durations
}

// race is one try of a task: its attempt and at most one copy.
type race struct {
	primary task.ID
	start   time.Time // when the primary got a slot (zero: still waiting)
	copied  bool
	// notBefore delays the next copy after one found no other executor
	// free, so a one-executor cluster is not asked every Interval.
	notBefore time.Time
	copy      chan copyRequest // the watcher asks for a copy (buffered 1)
	copyID    *task.ID         // the copy launched, if any
}

type copyRequest struct{ elapsed, threshold time.Duration }

type outcome struct {
	spec *task.Spec
	res  *task.Result
	err  error
}

// watchStage registers st for speculation and, when enabled, checks it
// every Interval; the returned func stops watching.
func (s *scheduler) watchStage(ctx context.Context, st *stage.Stage) func() {
	n := s.taskCount(st) // what adaptive execution made of its partitions
	s.mu.Lock()
	s.watches[st.ID] = &stageWatch{tasks: n, running: map[int]*race{}}
	s.mu.Unlock()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	if sp := s.cfg.Speculation; sp.Enabled && n >= sp.MinTasks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := time.NewTicker(sp.Interval)
			defer t.Stop()
			for {
				select {
				case <-t.C:
					s.speculate(st.ID, time.Now())
				case <-stop:
					return
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	return func() {
		close(stop)
		wg.Wait()
		s.mu.Lock()
		delete(s.watches, st.ID)
		s.mu.Unlock()
	}
}

// speculate asks slow tasks of stage for a copy, as many as there are
// idle driver slots (none while any attempt waits for a slot).
func (s *scheduler) speculate(stageID int, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.watches[stageID]
	sp := s.cfg.Speculation
	if w == nil || len(w.done) < max(int(sp.Quantile*float64(w.tasks)), 1) {
		return
	}
	free := cap(s.sem) - len(s.sem) - s.queued
	threshold := max(time.Duration(sp.Multiplier*float64(median(w.done))), sp.MinRuntime)
	for _, p := range slices.Sorted(maps.Keys(w.running)) {
		if free <= 0 {
			return
		}
		r := w.running[p]
		if r.copied || r.start.IsZero() || now.Sub(r.start) <= threshold || now.Before(r.notBefore) {
			continue
		}
		select {
		case r.copy <- copyRequest{elapsed: now.Sub(r.start), threshold: threshold}:
			r.copied = true
			free--
		default: // an earlier request is still unread
		}
	}
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// enter registers a try of task (stage, p) with its stage's watch; nil
// when the stage is not watched (samples, recomputed map tasks).
func (s *scheduler) enter(stageID, p int, id task.ID, sample bool) *race {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.watches[stageID]
	if w == nil || sample || w.running[p] != nil {
		return nil
	}
	r := &race{primary: id, copy: make(chan copyRequest, 1)}
	w.running[p] = r
	return r
}

// leave unregisters the try; a won try's duration joins the stage's.
func (s *scheduler) leave(stageID, p int, r *race, won bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.watches[stageID]
	if w == nil {
		return
	}
	delete(w.running, p)
	if won && !r.start.IsZero() {
		w.done = append(w.done, time.Since(r.start))
	}
}

// attemptStarted notes that an attempt got a driver slot.
func (s *scheduler) attemptStarted(id task.ID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if w := s.watches[id.Stage]; w != nil {
		if r := w.running[id.Partition]; r != nil && r.primary == id {
			r.start = time.Now()
		}
	}
}

func (s *scheduler) queue(delta int) {
	s.mu.Lock()
	s.queued += delta
	s.mu.Unlock()
}

// runRace runs one attempt of partition p of st and, if the stage's watch
// asks, one speculative copy. It returns the first success, else the
// attempt's own failure (a copy's failure is ignored), with the spec of
// the attempt it came from.
func (s *scheduler) runRace(ctx context.Context, st *stage.Stage, p int, sample bool) (*task.Spec, *task.Result, error) {
	spec := s.spec(st, p, s.nextAttempt(st.ID, p), sample)
	r := s.enter(st.ID, p, spec.ID, sample)
	if r == nil {
		res, err := s.dispatchCounted(ctx, spec)
		s.countAttempt(st.ID)
		return spec, res, err
	}
	rctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	out := make(chan outcome, 2)
	s.launch(rctx, spec, out)
	o := s.await(rctx, cancel, st, r, spec, out)
	s.leave(st.ID, p, r, o.err == nil)
	return o.spec, o.res, o.err
}

func (s *scheduler) launch(ctx context.Context, spec *task.Spec, out chan<- outcome) {
	go func() {
		res, err := s.dispatchCounted(ctx, spec)
		out <- outcome{spec, res, err}
	}()
}

// await collects the race's outcomes; it returns once every attempt it
// launched has ended, so no loser is still writing when the stage ends.
func (s *scheduler) await(rctx context.Context, cancel context.CancelCauseFunc, st *stage.Stage, r *race, spec *task.Spec, out chan outcome) outcome {
	running := 1
	var win, failed *outcome
	for running > 0 {
		select {
		case req := <-r.copy:
			if win != nil || failed != nil {
				continue
			}
			cs := s.spec(st, spec.Partition, s.nextAttempt(st.ID, spec.Partition), false)
			r.copyID = &cs.ID
			s.speculated(st.ID, 1)
			if sp, ok := s.cfg.Progress.(SpeculationProgress); ok {
				sp.TaskSpeculated(cs.ID, spec.ID, req.elapsed, req.threshold)
			}
			s.launch(task.WithSpeculative(rctx, spec.ID), cs, out)
			running++
		case o := <-out:
			running--
			s.settle(st.ID, r, &o, &win, &failed, cancel)
		}
	}
	if win == nil {
		return *failed
	}
	if r.copyID != nil {
		s.decided(st.ID, win.spec.ID, r.primary, *r.copyID)
	}
	return *win
}

// settle files one finished attempt of a race: the first success wins
// and cancels the rest; the original's fatal failure fails the race and
// cancels the copy; a copy's failures are dropped.
func (s *scheduler) settle(stageID int, r *race, o *outcome, win, failed **outcome, cancel context.CancelCauseFunc) {
	isCopy := o.spec.ID != r.primary
	if isCopy && errors.Is(o.err, task.ErrNoSpareExecutor) {
		// It never ran, so it is no attempt either; try again later.
		s.mu.Lock()
		s.stageSt[stageID].Speculated--
		r.copied, r.notBefore = false, time.Now().Add(max(s.cfg.Speculation.MinRuntime, time.Second))
		s.mu.Unlock()
		r.copyID = nil
		return
	}
	s.countAttempt(stageID)
	switch {
	case *win != nil:
		// The cancelled (or late) loser: its files are never published.
	case *failed != nil && task.ClassOf((*failed).err) == task.Fatal:
	case o.err == nil:
		*win = o
		cancel(errRaceLost)
	case isCopy:
		// Even a fatal one: a copy shares its executor's memory with
		// others, and a real error in the task is the original's to hit.
	case task.ClassOf(o.err) == task.Fatal:
		*failed = o
		cancel(o.err)
	default:
		*failed = o
	}
}

func (s *scheduler) speculated(stageID, n int) {
	s.mu.Lock()
	s.stageSt[stageID].Speculated += n
	s.mu.Unlock()
}

// decided reports which attempt of a speculated task won.
func (s *scheduler) decided(stageID int, winner, primary, copyID task.ID) {
	loser := copyID
	if winner == copyID {
		loser = primary
		s.mu.Lock()
		s.stageSt[stageID].SpeculativeWins++
		s.mu.Unlock()
	}
	if sp, ok := s.cfg.Progress.(SpeculationProgress); ok {
		sp.SpeculationDecided(winner, loser)
	}
}
