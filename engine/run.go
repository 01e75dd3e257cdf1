package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/drover-etl/drover/adaptive"
	"github.com/drover-etl/drover/driver"
	"github.com/drover-etl/drover/journal"
	"github.com/drover-etl/drover/task"
)

// RunOptions steer one execution.
type RunOptions struct {
	// ShuffleDir is where shuffle files go; "" means a fresh local temp
	// directory removed afterwards.
	ShuffleDir string
	Progress   driver.Progress
	// Observer hears each task attempt and sink commit (nil: none).
	Observer driver.Observer
	// MemoryBytes is each task's memory budget (0: default).
	MemoryBytes int64
	// Run is the run ID ("": a new one).
	Run string
	// Scaler scales cluster executors with the load (nil: fixed size).
	Scaler driver.Scaler
	// Adaptive tunes adaptive execution (MinTasks 0: the executor slots;
	// TaskMemoryBytes 0: MemoryBytes).
	Adaptive adaptive.Config
	// Speculation copies straggling tasks (zero: off).
	Speculation driver.Speculation
	// TaskTimeout cancels and retries attempts running longer (0: none).
	TaskTimeout time.Duration
	// InlineInputs is driver.Config.InlineInputs (0: its default).
	InlineInputs int
	// Resume continues run Run from its journal in ShuffleDir.
	Resume driver.ResumeMode
	// FaultHook simulates a driver kill, for tests (see driver.Config).
	FaultHook func(point string) bool
}

// NewRunID returns a sortable, unique run ID.
func NewRunID() string {
	return time.Now().UTC().Format("20060102T150405") + "-" + uuid.NewString()[:8]
}

// ResumePlanTime is the instant to compile a run at (Options.PlanTime):
// when it resumes (mode) from a journal in shuffleDir, its first driver's
// planning instant, so current_date and now() keep their values and the
// plan matches the journaled one; else zero (now). A run without a
// journal gets zero too: it starts, or Run reports the missing journal.
func ResumePlanTime(ctx context.Context, shuffleDir, run string, mode driver.ResumeMode) (time.Time, error) {
	if mode == driver.ResumeNever || shuffleDir == "" {
		return time.Time{}, nil
	}
	h, err := journal.ReadHeader(ctx, strings.TrimSuffix(shuffleDir, "/")+"/"+run)
	if errors.Is(err, journal.ErrNoJournal) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("resume run %s: %w", run, err)
	}
	return h.PlanTime, nil
}

// Run executes a compiled job on exec and commits its sinks.
func Run(ctx context.Context, c *Compiled, exec task.Executor, opts RunOptions) (*driver.Summary, error) {
	run := opts.Run
	if run == "" {
		run = NewRunID()
	}
	shuffleDir := opts.ShuffleDir
	if shuffleDir == "" && opts.Resume != driver.ResumeNever {
		return nil, fmt.Errorf("resuming run %s needs the shuffle directory it ran with", run)
	}
	if shuffleDir == "" {
		dir, err := os.MkdirTemp("", "drover-shuffle-")
		if err != nil {
			return nil, fmt.Errorf("shuffle directory: %w", err)
		}
		defer os.RemoveAll(dir)
		shuffleDir = dir
	} else {
		shuffleDir = shuffleDir + "/" + run
	}
	cfg := driver.Config{
		Job: c.Job.Name, Run: run, Executor: exec, ShuffleDir: shuffleDir,
		InlineInputs: opts.InlineInputs,
		Progress:     opts.Progress, Observer: opts.Observer, MemoryBytes: opts.MemoryBytes, Scaler: opts.Scaler,
		Speculation: opts.Speculation, TaskTimeout: opts.TaskTimeout,
		Resume: opts.Resume, FaultHook: opts.FaultHook, PlanTime: c.PlanTime,
	}
	cfg.Adaptive = opts.Adaptive
	if cfg.Adaptive.MinTasks <= 0 {
		cfg.Adaptive.MinTasks = exec.Slots()
	}
	if cfg.Adaptive.TaskMemoryBytes <= 0 {
		cfg.Adaptive.TaskMemoryBytes = opts.MemoryBytes
	}
	if c.Plugins != nil {
		cfg.Deterministic = c.Plugins.Deterministic
	}
	if c.tables != nil {
		cfg.Tables = c.tables.committers()
	}
	return driver.Run(ctx, c.Stages, cfg)
}
