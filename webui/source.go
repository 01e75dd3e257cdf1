package webui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/drover-etl/drover/eventlog"
)

// Source supplies runs to the server: Live inside a driver, History over
// an event-log directory.
type Source interface {
	// Runs lists runs, newest first.
	Runs(ctx context.Context) ([]*Run, error)
	// Run rebuilds one run's state; ErrNoRun when unknown.
	Run(ctx context.Context, id string) (*Run, error)
}

// Live holds the events of the run the driver is executing.
type Live struct {
	mu     sync.Mutex
	events []eventlog.Event
	done   bool
}

var (
	_ Source = (*Live)(nil)
	_ Source = (*History)(nil)
)

// Emit records one event (an eventlog.Recorder emit function).
func (l *Live) Emit(ev eventlog.Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	ev.V, ev.Seq = eventlog.Version, int64(len(l.events)+1)
	l.events = append(l.events, ev)
	if ev.Type == eventlog.RunEnd {
		l.done = true
	}
}

// state is the sequence number of the last event and whether the run
// ended: what the event stream polls, without rebuilding the run.
func (l *Live) state(id string) (seq int64, ended, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.events) == 0 || l.events[0].Run == nil || l.events[0].Run.ID != id {
		return 0, false, false
	}
	return l.events[len(l.events)-1].Seq, l.done, true
}

func (l *Live) build() *Run {
	l.mu.Lock()
	evs := append([]eventlog.Event(nil), l.events...)
	done := l.done
	l.mu.Unlock()
	return Build(evs, !done)
}

// Runs implements Source.
func (l *Live) Runs(context.Context) ([]*Run, error) {
	r := l.build()
	if r.ID == "" {
		return nil, nil
	}
	return []*Run{r}, nil
}

// Run implements Source.
func (l *Live) Run(_ context.Context, id string) (*Run, error) {
	r := l.build()
	if r.ID != id {
		return nil, fmt.Errorf("%w: %q", ErrNoRun, id)
	}
	return r, nil
}

// History reads runs from the event logs under Dir (a path or URL).
type History struct {
	Dir string
	// Limit bounds how many runs the list shows (default 100).
	Limit int
}

// Runs implements Source: the newest runs first. A log that cannot be
// read is listed with its error rather than hidden.
func (h *History) Runs(ctx context.Context) ([]*Run, error) {
	ids, err := eventlog.Runs(ctx, h.Dir)
	if err != nil {
		return nil, err
	}
	limit := h.Limit
	if limit <= 0 {
		limit = 100
	}
	var out []*Run
	for _, id := range ids[:min(len(ids), limit)] {
		r, err := h.summary(ctx, id)
		if err != nil {
			r = &Run{Status: "unreadable", Error: err.Error()}
			r.ID = id
		}
		out = append(out, r)
	}
	return out, nil
}

// summary rebuilds a run from the ends of its log: right for the list
// (job, status, times, stages), not for task detail.
func (h *History) summary(ctx context.Context, id string) (*Run, error) {
	lg, err := eventlog.ReadEnds(ctx, h.Dir, id)
	if err != nil {
		return nil, err
	}
	r := Build(lg.Events, false)
	if r.ID == "" {
		r.ID = id
	}
	return r, nil
}

// Run implements Source. A run ID is one path segment: anything else
// (a "../" from a crafted URL) names no run.
func (h *History) Run(ctx context.Context, id string) (*Run, error) {
	if id == "" || id == "." || id == ".." || strings.ContainsAny(id, `/\`) {
		return nil, fmt.Errorf("%w: %q", ErrNoRun, id)
	}
	lg, err := eventlog.Read(ctx, h.Dir, id)
	if errors.Is(err, eventlog.ErrNoLog) {
		return nil, fmt.Errorf("%w: %w", ErrNoRun, err)
	}
	if err != nil {
		return nil, err
	}
	r := Build(lg.Events, false)
	r.Truncated = lg.Truncated
	if r.ID == "" {
		r.ID = id
	}
	return r, nil
}
