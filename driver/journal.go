package driver

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/drover-etl/drover/journal"
	"github.com/drover-etl/drover/runlease"
	"github.com/drover-etl/drover/stage"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/task"
)

// ResumeMode says whether a run continues the journal an earlier driver
// of the same run ID left in the shuffle directory.
type ResumeMode int

const (
	// ResumeNever starts a new run; an existing journal is an error.
	ResumeNever ResumeMode = iota
	// ResumeAuto resumes when the run has a journal, else starts it: a
	// driver restarted by Nomad with the same run ID.
	ResumeAuto
	// ResumeRequired resumes and fails without a journal (--resume RUN).
	ResumeRequired
)

// errCrash is what a FaultHook's simulated SIGKILL returns: Run then
// leaves everything as a killed process would (no cleanup, no abort).
var errCrash = errors.New("driver killed (fault injection)")

// crash asks the fault hook whether the driver dies at point.
func (s *scheduler) crash(point string) error {
	if s.cfg.FaultHook != nil && s.cfg.FaultHook(point) {
		return fmt.Errorf("%w at %s", errCrash, point)
	}
	return nil
}

// PlanFingerprint hashes the stage graph; a resumed run must have the
// same one, or its journaled outputs belong to a different plan.
func PlanFingerprint(g *stage.Graph) (string, error) {
	b, err := json.Marshal(g)
	if err != nil {
		return "", fmt.Errorf("fingerprint the plan: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// openJournal starts the run's journal, or resumes it: the earlier
// drivers' results whose files still exist are adopted (tasks not run
// again), and attempt numbers continue after every attempt they started.
func (s *scheduler) openJournal(ctx context.Context) error {
	if s.cfg.ShuffleDir == "" {
		return nil
	}
	fp, err := PlanFingerprint(s.g)
	if err != nil {
		return err
	}
	h := journal.Header{Job: s.cfg.Job, Run: s.cfg.Run, Plan: fp, PlanTime: s.cfg.PlanTime}
	mode := s.cfg.Resume
	if mode == ResumeAuto {
		if ok, err := journal.Exists(ctx, s.cfg.ShuffleDir); err != nil {
			return err
		} else if !ok {
			mode = ResumeNever
		}
	}
	if mode == ResumeNever {
		s.jnl, err = journal.Start(ctx, s.cfg.ShuffleDir, h)
		return err
	}
	// The run record's attempt counts cover attempts that never finished;
	// read before this driver's lease overwrites it.
	prev := s.recordedAttempts(ctx)
	jnl, st, err := journal.Resume(ctx, s.cfg.ShuffleDir, h)
	if err != nil {
		return err
	}
	s.jnl, s.resumed = jnl, st
	for k, n := range st.Attempts {
		prev[k] = max(prev[k], n)
	}
	for k, n := range prev {
		s.attempts[[2]int{k.Stage, k.Partition}] = n
	}
	for id, b := range st.Bounds {
		s.bounds[id] = b
	}
	for k, in := range st.Inputs {
		s.inputs[[2]int{k.Stage, k.Partition}] = in
	}
	return s.verifyResumed(ctx)
}

// recordedAttempts reads the attempt counts of the run's record.
func (s *scheduler) recordedAttempts(ctx context.Context) map[journal.TaskKey]int {
	out := map[journal.TaskKey]int{}
	loc, err := storage.Resolve(ctx, s.cfg.ShuffleDir)
	if err != nil {
		return out
	}
	if rec, err := runlease.Read(ctx, loc); err == nil {
		for _, a := range rec.Attempts {
			out[journal.TaskKey{Stage: a.Stage, Partition: a.Partition}] = a.Count
		}
	}
	return out
}

// verifyResumed drops journaled results whose files are gone (those
// tasks run again): map outputs, and the staged files of sinks whose
// commit had not started (a started commit may have moved them already;
// it finishes idempotently, see commit.Sink.Commit).
func (s *scheduler) verifyResumed(ctx context.Context) error {
	for k, res := range s.resumed.Results {
		if k.Stage < 0 || k.Stage >= len(s.g.Stages) || k.Partition >= s.g.Stages[k.Stage].Partitions {
			return fmt.Errorf("journal names task %d.%d, which the plan does not have", k.Stage, k.Partition)
		}
		ok, err := s.stillThere(ctx, res)
		if err != nil {
			return err
		}
		if !ok {
			delete(s.resumed.Results, k)
			s.cfg.Progress.Recompute(k.Stage, k.Partition, errors.New("its output is gone since the driver died"))
		}
	}
	return nil
}

// stillThere checks that a journaled result's files exist (HEAD each).
func (s *scheduler) stillThere(ctx context.Context, res *task.Result) (bool, error) {
	var urls []string
	if res.Output != nil {
		urls = append(urls, res.Output.URL)
	}
	if w := s.g.Stages[res.Stage].Root.Write; w != nil && !s.resumed.CommitStarted[w.Sink] {
		urls = append(urls, res.Files...)
	}
	for _, u := range urls {
		loc, err := storage.Resolve(ctx, u)
		if err != nil {
			return false, err
		}
		_, err = loc.Store.Stat(ctx, loc.Key)
		if errors.Is(err, storage.ErrNotExist) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("check %s: %w", u, err)
		}
	}
	return true, nil
}

// resumedResult is a task's journaled result, if this run adopted one
// and the task reads what the journaled one read: adaptive execution
// re-plans a stage from its parents' sizes, and a parent recomputed on
// resume may size differently, so task p need not be the same task.
func (s *scheduler) resumedResult(stageID, p int) *task.Result {
	if s.resumed == nil {
		return nil
	}
	k := journal.TaskKey{Stage: stageID, Partition: p}
	if !sameReads(s.resumed.Reads[k], s.taskReads(stageID, p)) {
		return nil
	}
	return s.resumed.Results[k]
}

// taskReads is task p's adaptive read ranges (nil: not adapted).
func (s *scheduler) taskReads(stageID, p int) task.Reads {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ts := s.tasks[stageID]; p < len(ts) {
		return ts[p]
	}
	return nil
}

func sameReads(a, b task.Reads) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// journalTask records a task's winning result before the run uses it.
func (s *scheduler) journalTask(ctx context.Context, res *task.Result) error {
	if s.jnl == nil {
		return nil
	}
	r := *res
	r.Samples = nil
	s.mu.Lock()
	in := s.inputs[[2]int{res.Stage, res.Partition}]
	s.mu.Unlock()
	e := journal.Entry{Kind: journal.KindTask, Stage: res.Stage, Result: &r, Inputs: in, Reads: s.taskReads(res.Stage, res.Partition)}
	if err := s.jnl.Append(ctx, e); err != nil {
		return err
	}
	return s.crash(fmt.Sprintf("task %d.%d", res.Stage, res.Partition))
}

// journalEntry appends e (no-op without a journal).
func (s *scheduler) journalEntry(ctx context.Context, e journal.Entry) error {
	if s.jnl == nil {
		return nil
	}
	return s.jnl.Append(ctx, e)
}

// committedBefore: an earlier driver of this run committed the sink.
func (s *scheduler) committedBefore(sink string) bool {
	return s.resumed != nil && s.resumed.Committed[sink]
}
