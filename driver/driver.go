package driver

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/drover-etl/drover/commit"
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
	// Progress receives scheduling events (nil: none).
	Progress Progress
	// Observer hears each task attempt and sink commit (nil: none).
	Observer Observer
	// MemoryBytes is each task's memory budget (0: default).
	MemoryBytes int64
	// KeepShuffle keeps shuffle files after success (debugging).
	KeepShuffle bool
	// Scaler, when set, hears how many tasks are outstanding whenever a
	// stage starts or ends, so cluster executors can scale with the load.
	Scaler Scaler
}

// Scaler sizes the executor group to the outstanding work.
type Scaler interface {
	Demand(ctx context.Context, tasks int) error
}

// StageStats summarizes one stage of a finished run.
type StageStats struct {
	ID       int
	Tasks    int
	Attempts int
	Metrics  task.Metrics
	Wall     time.Duration
}

// Summary describes a finished run.
type Summary struct {
	Stages []StageStats
	Sinks  []commit.Result
	Wall   time.Duration
}

// Run executes the graph and commits its sinks. On failure nothing is
// committed and staged files and shuffle data are removed.
func Run(ctx context.Context, g *stage.Graph, cfg Config) (*Summary, error) {
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 4
	}
	if cfg.MaxFetchRecoveries <= 0 {
		cfg.MaxFetchRecoveries = 16
	}
	if cfg.Progress == nil {
		cfg.Progress = nopProgress{}
	}
	if cfg.Observer == nil {
		cfg.Observer = nopObserver{}
	}
	start := time.Now()
	s := newScheduler(g, cfg)
	sinks, err := s.prepareSinks(ctx)
	if err != nil {
		return nil, err
	}
	runErr := s.runAll(ctx)
	defer s.cleanupShuffle(context.WithoutCancel(ctx))
	if runErr != nil {
		abortSinks(context.WithoutCancel(ctx), sinks)
		return nil, fmt.Errorf("%w (nothing was committed)", runErr)
	}
	sum := &Summary{Stages: s.stats()}
	// Each sink commits on its own (sink directories never nest, see
	// checkOverlap); whatever a failed commit leaves unpublished is aborted.
	defer abortSinks(context.WithoutCancel(ctx), sinks)
	var committed []string
	for _, sk := range sinks {
		res, err := sk.Commit(ctx, s.results[sk.Stage])
		if res.Committed {
			committed = append(committed, sk.Spec.Sink)
		}
		if err != nil {
			return nil, commitError(sk.Spec.Sink, committed, err)
		}
		sum.Sinks = append(sum.Sinks, res)
		s.cfg.Observer.SinkCommitted(res)
	}
	sum.Wall = time.Since(start)
	return sum, nil
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
	fetchRec   int
	pending    int // tasks of running stages not yet finished
	demandMu   sync.Mutex
	sinkSpec   map[int]*commit.Sink
}

func newScheduler(g *stage.Graph, cfg Config) *scheduler {
	slots := max(cfg.Executor.Slots(), 1)
	return &scheduler{
		g: g, cfg: cfg, sem: make(chan struct{}, slots),
		outs: map[int][]task.MapOutput{}, gen: map[[2]int]int{},
		attempts: map[[2]int]int{}, recovering: map[[2]int]*sync.Mutex{},
		results: map[int][]*task.Result{}, bounds: map[int][][]types.Value{},
		stageSt: map[int]*StageStats{}, sinkSpec: map[int]*commit.Sink{},
	}
}

// prepareSinks checks every sink's mode against existing output before any
// work starts (mode "error" fails fast) and fixes its staging location.
func (s *scheduler) prepareSinks(ctx context.Context) ([]*commit.Sink, error) {
	var sinks []*commit.Sink
	for _, st := range s.g.Stages {
		if !st.IsSink() {
			continue
		}
		sk, err := commit.Prepare(ctx, st.Root.Write, st.ID, s.cfg.Run)
		if err != nil {
			return nil, err
		}
		if err := checkOverlap(sk, sinks, s.cfg.ShuffleDir); err != nil {
			return nil, err
		}
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
	if dc, ok := loc.Store.(storage.DeferredCreator); ok {
		dc.AbortAllDeferred(ctx, loc.Key+"/", func(string) bool { return true })
	}
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

// checkOverlap refuses sinks whose output directories contain each other
// or the shuffle directory: overwrite and cleanup of one would reach into
// the other.
func checkOverlap(sk *commit.Sink, others []*commit.Sink, shuffleDir string) error {
	for _, o := range others {
		if nested(sk.Spec.Path, o.Spec.Path) {
			return fmt.Errorf("sinks %q (%s) and %q (%s) write into each other's directory; give each its own",
				o.Spec.Sink, o.Spec.Path, sk.Spec.Sink, sk.Spec.Path)
		}
	}
	if shuffleDir != "" && nested(sk.Spec.Path, shuffleDir) {
		return fmt.Errorf("sink %q (%s) overlaps the shuffle directory %s", sk.Spec.Sink, sk.Spec.Path, shuffleDir)
	}
	return nil
}

// nested reports whether one path is the other or lies below it.
func nested(a, b string) bool {
	a, b = strings.TrimSuffix(a, "/")+"/", strings.TrimSuffix(b, "/")+"/"
	return strings.HasPrefix(a, b) || strings.HasPrefix(b, a)
}
