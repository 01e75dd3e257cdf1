package driver

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/drover-etl/drover/adaptive"
	"github.com/drover-etl/drover/commit"
	"github.com/drover-etl/drover/journal"
	"github.com/drover-etl/drover/s3cost"
	"github.com/drover-etl/drover/stage"
	"github.com/drover-etl/drover/storage"
	"github.com/drover-etl/drover/task"
	"github.com/drover-etl/drover/types"
)

// Config configures one job run.
type Config struct {
	Job string
	// Run identifies this run (used in shuffle and staging paths).
	Run string
	// Executor runs tasks.
	Executor task.Executor
	// ShuffleDir is the URL under which this run's shuffle files go.
	ShuffleDir string
	// MaxAttempts bounds attempts per task (default 4).
	MaxAttempts int
	// MaxFetchRecoveries bounds lineage re-runs per job (default 16).
	MaxFetchRecoveries int
	// RetryBackoff is the first wait before retrying a failed task; it
	// doubles per failure, with jitter (default 500ms; negative: none).
	RetryBackoff time.Duration
	// Progress receives scheduling events (nil: none).
	Progress Progress
	// Observer hears each task attempt and sink commit (nil: none).
	Observer Observer
	// MemoryBytes is each task's memory budget (0: default).
	MemoryBytes int64
	// KeepShuffle keeps shuffle files after success (debugging).
	KeepShuffle bool
	// LeaseRenew is how often the run's record in the shuffle directory
	// is renewed (runlease.DefaultRenew when 0).
	LeaseRenew time.Duration
	// Scaler, when set, hears how many tasks are outstanding whenever a
	// stage starts or ends, so cluster executors can scale with the load.
	Scaler Scaler
	// Adaptive tunes adaptive execution (Adaptive.Disabled: off).
	Adaptive adaptive.Config
	// InlineInputs is how many (map output, partition) entries a stage's
	// outputs may have and still be listed in its consumers' specs;
	// beyond it specs name a map status object in ShuffleDir instead
	// (0: DefaultInlineInputs; negative: always an object).
	InlineInputs int
	// Tables commit the job's table sinks, by sink name.
	Tables map[string]commit.TableCommitter
	// Speculation runs copies of tasks far slower than their stage's
	// median (off unless Enabled; see speculate.go).
	Speculation Speculation
	// TaskTimeout cancels an attempt that runs longer and retries it as a
	// failed attempt (0: no limit).
	TaskTimeout time.Duration
	// Deterministic says whether a plugin function ("textkit.slug")
	// gives the same output for the same input every time (nil: none
	// does). Stages calling others are indeterminate: when one of their
	// map outputs is recomputed, every task that read the old one runs
	// again.
	Deterministic func(function string) bool
	// Resume continues an earlier driver's journal of this run ID.
	Resume ResumeMode
	// PlanTime is the instant the graph was planned at (current_date and
	// now() are literals of it), journaled so a resumed driver can plan
	// the same graph (zero: not recorded).
	PlanTime time.Time
	// FaultHook, for tests, is asked at each journaled point ("task 1.3",
	// "stage 1", "commit out", "committed out"); true makes the driver
	// stop there as if SIGKILLed: nothing cleaned up, nothing aborted.
	FaultHook func(point string) bool
}

// Scaler sizes the executor group to the outstanding work.
type Scaler interface {
	Demand(ctx context.Context, tasks int) error
}

// StageStats summarizes one stage of a finished run. Metrics sums the
// successful attempts, except S3, which also counts the failed attempts
// whose executor reported them (S3 bills those too).
type StageStats struct {
	ID       int
	Tasks    int
	Attempts int
	// Speculated counts speculative copies launched; SpeculativeWins
	// those that finished first.
	Speculated      int
	SpeculativeWins int
	// Reused counts the tasks an earlier driver of a resumed run had
	// finished (from its journal): done, not run by this driver. Their
	// metrics are in Metrics; Attempts counts only this driver's.
	Reused  int `json:",omitempty"`
	Metrics task.Metrics
	Wall    time.Duration
	// Adaptive is what adaptive execution changed (nil: the stage ran one
	// task per partition, as planned).
	Adaptive *adaptive.Decision `json:",omitempty"`
}

// Summary describes a finished run.
type Summary struct {
	Stages []StageStats
	Sinks  []commit.Result
	// Driver is the S3 traffic of the driver itself: sink checks, commit
	// and cleanup, plus planning (listing inputs, reading footers) when
	// the caller's context carried the recorder through compilation.
	Driver s3cost.Usage
	Wall   time.Duration
}

// Adaptive lists the decisions of adaptive execution, by stage.
func (s *Summary) Adaptive() []adaptive.Decision {
	var ds []adaptive.Decision
	for _, st := range s.Stages {
		if st.Adaptive != nil {
			ds = append(ds, *st.Adaptive)
		}
	}
	return ds
}

// S3 is the run's S3 traffic: every stage's tasks and the driver.
func (s *Summary) S3() s3cost.Usage {
	u := s.Driver
	for _, st := range s.Stages {
		u.Add(st.Metrics.S3)
	}
	return u
}

// Run executes the graph and commits its sinks. On failure nothing is
// committed and staged files and shuffle data are removed.
func Run(ctx context.Context, g *stage.Graph, cfg Config) (sum *Summary, err error) {
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 4
	}
	if cfg.MaxFetchRecoveries <= 0 {
		cfg.MaxFetchRecoveries = 16
	}
	if cfg.RetryBackoff == 0 {
		cfg.RetryBackoff = 500 * time.Millisecond
	}
	if cfg.Progress == nil {
		cfg.Progress = nopProgress{}
	}
	if cfg.Observer == nil {
		cfg.Observer = nopObserver{}
	}
	cfg.Speculation = cfg.Speculation.withDefaults()
	start := time.Now()
	// The driver's own S3 requests go to the caller's recorder, if any
	// (it then also holds the planning's), else to one of its own; the
	// summary reads it last, after the shuffle cleanup deferred below.
	rec := s3cost.FromContext(ctx)
	if rec == nil {
		rec = s3cost.NewRecorder()
		ctx = s3cost.WithRecorder(ctx, rec)
	}
	defer func() {
		if sum != nil {
			sum.Driver = rec.Usage()
		}
	}()
	cfg.Executor = observedExecutor{cfg.Executor}
	s := newScheduler(g, cfg)
	if err := s.openJournal(ctx); err != nil {
		return nil, fmt.Errorf("run %s: %w", cfg.Run, err)
	}
	sinks, err := s.prepareSinks(ctx)
	if err != nil {
		return nil, err
	}
	lease, err := s.startLease(ctx, sinks)
	if err != nil {
		abortSinks(context.WithoutCancel(ctx), sinks)
		return nil, err
	}
	// A simulated kill (FaultHook) leaves everything as it is, for a
	// resume to find.
	crashed := false
	defer func() {
		if !crashed {
			s.cleanupShuffle(context.WithoutCancel(ctx))
		}
	}()
	defer lease.Stop() // before the cleanup, which removes the record
	runErr := s.runAll(ctx)
	if runErr == nil {
		runErr = s.reconcile(ctx)
	}
	if errors.Is(runErr, errCrash) {
		crashed = true
		return nil, runErr
	}
	if runErr != nil {
		abortSinks(context.WithoutCancel(ctx), sinks)
		return nil, fmt.Errorf("%w (nothing was committed)", runErr)
	}
	sum = &Summary{Stages: s.stats()}
	sum.Sinks, err = s.commitAll(ctx, sinks)
	if errors.Is(err, errCrash) {
		crashed = true
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	sum.Wall = time.Since(start)
	return sum, nil
}

// commitAll commits each sink on its own (sink directories never nest,
// see checkOverlap), journaling each commit's start and end; whatever a
// failed commit leaves unpublished is aborted.
func (s *scheduler) commitAll(ctx context.Context, sinks []*commit.Sink) (out []commit.Result, err error) {
	defer func() {
		if !errors.Is(err, errCrash) {
			abortSinks(context.WithoutCancel(ctx), sinks)
		}
	}()
	var committed []string
	for _, sk := range sinks {
		name := sk.Spec.Sink
		if err := s.journalEntry(ctx, journal.Entry{Kind: journal.KindCommit, Sink: name}); err != nil {
			return nil, commitError(name, committed, err)
		}
		if err := s.crash("commit " + name); err != nil {
			return nil, err
		}
		res, err := sk.Commit(ctx, s.results[sk.Stage])
		if res.Committed {
			committed = append(committed, name)
		}
		if err != nil {
			return nil, commitError(name, committed, err)
		}
		out = append(out, res)
		s.cfg.Observer.SinkCommitted(res)
		if err := s.journalEntry(ctx, journal.Entry{Kind: journal.KindCommitted, Sink: name}); err != nil {
			return nil, commitError(name, committed, err)
		}
		if err := s.crash("committed " + name); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// commitError says exactly which outputs changed when a commit fails.
func commitError(sink string, committed []string, err error) error {
	if len(committed) == 0 {
		return fmt.Errorf("commit sink %q: %w (no output was changed)", sink, err)
	}
	return fmt.Errorf("commit sink %q: %w (sinks committed: %v; the others kept their previous output)", sink, err, committed)
}

func abortSinks(ctx context.Context, sinks []*commit.Sink) {
	for _, sk := range sinks {
		sk.Abort(ctx)
	}
}

// scheduler is one run's mutable state.
type scheduler struct {
	g    *stage.Graph
	cfg  Config
	sem  chan struct{}
	mu   sync.Mutex
	outs map[int][]task.MapOutput // stage → map outputs by partition
	// gen counts map output versions so that concurrent reducers that hit
	// the same missing object trigger one re-run, not many.
	gen        map[[2]int]int
	attempts   map[[2]int]int         // next attempt number per task
	recovering map[[2]int]*sync.Mutex // one lineage re-run at a time per map output
	results    map[int][]*task.Result // stage → winning results by partition
	bounds     map[int][][]types.Value
	stageSt    map[int]*StageStats
	indet      map[int]bool                // stages whose output a rerun may change
	inputs     map[[2]int]map[int][]string // map output URLs each winner read, by parent
	jnl        *journal.Journal            // nil without a shuffle directory
	resumed    *journal.State              // what earlier drivers finished (nil: fresh run)
	fetchRec   int
	pending    int // tasks of running stages not yet finished
	demandMu   sync.Mutex
	sinkSpec   map[int]*commit.Sink
	// tasks are the adapted stages' task reads, by stage (absent: one task
	// per partition).
	tasks   map[int][]task.Reads
	watches map[int]*stageWatch // running stages' tasks (speculate.go)
	queued  int                 // attempts waiting for a driver slot
	index   map[int]*stageIndex // map status publications by stage
}

func newScheduler(g *stage.Graph, cfg Config) *scheduler {
	slots := max(cfg.Executor.Slots(), 1)
	return &scheduler{
		g: g, cfg: cfg, sem: make(chan struct{}, slots),
		outs: map[int][]task.MapOutput{}, gen: map[[2]int]int{},
		attempts: map[[2]int]int{}, recovering: map[[2]int]*sync.Mutex{},
		results: map[int][]*task.Result{}, bounds: map[int][][]types.Value{},
		stageSt: map[int]*StageStats{}, sinkSpec: map[int]*commit.Sink{},
		tasks:   map[int][]task.Reads{},
		watches: map[int]*stageWatch{},
		indet:   indeterminateStages(g, cfg.Deterministic), inputs: map[[2]int]map[int][]string{},
	}
}

// prepareSinks runs every sink check before any task: paths that are
// safe and do not overlap each other, the job's inputs or the shuffle
// directory (checkSinks), then each sink's mode (mode "error" takes the
// sink's lock and fails fast on existing output). A failure releases what
// earlier sinks took.
func (s *scheduler) prepareSinks(ctx context.Context) ([]*commit.Sink, error) {
	if err := checkSinks(s.g, s.cfg.ShuffleDir); err != nil {
		return nil, err
	}
	var sinks []*commit.Sink
	for _, st := range s.g.Stages {
		if !st.IsSink() || s.committedBefore(st.Root.Write.Sink) {
			continue
		}
		sk, err := commit.Prepare(ctx, st.Root.Write, st.ID, s.cfg.Run)
		if err != nil {
			abortSinks(context.WithoutCancel(ctx), sinks)
			return nil, err
		}
		sk.Table = s.cfg.Tables[sk.Spec.Sink]
		s.sinkSpec[st.ID] = sk
		sinks = append(sinks, sk)
	}
	return sinks, nil
}

// runAll runs every stage once its parents are done; independent stages
// run at the same time and share the executor slots.
func (s *scheduler) runAll(ctx context.Context) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	done := make([]chan struct{}, len(s.g.Stages))
	for i := range done {
		done[i] = make(chan struct{})
	}
	var wg sync.WaitGroup
	for _, st := range s.g.Stages {
		wg.Add(1)
		go func(st *stage.Stage) {
			defer wg.Done()
			for _, p := range st.Parents {
				select {
				case <-done[p]:
				case <-ctx.Done():
					return
				}
			}
			if err := s.runStage(ctx, st); err != nil {
				cancel(err)
				return
			}
			close(done[st.ID])
		}(st)
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return err
	}
	return nil
}

func (s *scheduler) cleanupShuffle(ctx context.Context) {
	if s.cfg.KeepShuffle || s.cfg.ShuffleDir == "" {
		return
	}
	loc, err := storage.Resolve(ctx, s.cfg.ShuffleDir)
	if err != nil {
		return
	}
	if infos, err := loc.Store.List(ctx, loc.Key+"/"); err == nil {
		for _, in := range infos {
			loc.Store.Delete(ctx, in.Key)
		}
	}
	// A map task killed mid-upload leaves an incomplete multipart upload
	// under the run's shuffle prefix: invisible, but billed until aborted.
	// Each attempt's key is known exactly, which finds uploads that a
	// bucket-wide listing can miss.
	if ua, ok := loc.Store.(storage.UploadAborter); ok {
		ua.AbortUploadsAt(ctx, s.shuffleKeys(loc))
	}
	if dc, ok := loc.Store.(storage.DeferredCreator); ok {
		dc.AbortAllDeferred(ctx, loc.Key+"/", func(string) bool { return true })
	}
}

// shuffleKeys are the keys of every map attempt this run started.
func (s *scheduler) shuffleKeys(dir storage.Location) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var keys []string
	for k, n := range s.attempts {
		if s.g.Stages[k[0]].Output == nil {
			continue
		}
		for a := range n {
			keys = append(keys, dir.Join(strings.TrimPrefix(task.ShuffleURL("", k[0], k[1], a), "/")).Key)
		}
	}
	return keys
}

func (s *scheduler) stats() []StageStats {
	out := make([]StageStats, 0, len(s.g.Stages))
	for _, st := range s.g.Stages {
		if ss, ok := s.stageSt[st.ID]; ok {
			out = append(out, *ss)
		}
	}
	return out
}
