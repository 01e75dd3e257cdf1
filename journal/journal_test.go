package journal

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/drover-etl/drover/storage/local"
	"github.com/drover-etl/drover/task"
	"github.com/drover-etl/drover/types"
)

func taskEntry(stage, part, attempt int, url string) Entry {
	return Entry{Kind: KindTask, Stage: stage, Result: &task.Result{ID: task.ID{Stage: stage, Partition: part, Attempt: attempt},
		Output: &task.MapOutput{URL: url}}, Inputs: map[int][]string{0: {"in"}}}
}

// A journal written by concurrent appends reads back as the same state,
// a later result of a task (a recompute) replacing the earlier one.
func TestResumeReplaysWhatWasAppended(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "run")
	h := Header{Job: "j", Run: "r", Plan: "p1"}
	j, err := Start(ctx, dir, h)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for p := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := j.Append(ctx, taskEntry(0, p, 0, "a")); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for _, e := range []Entry{
		{Kind: KindStage, Stage: 0},
		{Kind: KindBounds, Stage: 1, Bounds: [][]types.Value{{types.Int64Value(5)}}},
		taskEntry(0, 3, 2, "recomputed"),
		{Kind: KindCommit, Sink: "out"},
	} {
		if err := j.Append(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	_, st, err := Resume(ctx, dir, h)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Results) != 8 || st.Results[TaskKey{0, 3}].Output.URL != "recomputed" || st.Attempts[TaskKey{0, 3}] != 3 || st.Attempts[TaskKey{0, 1}] != 1 {
		t.Errorf("results %v attempts %v", st.Results, st.Attempts)
	}
	if !st.StagesDone[0] || len(st.Bounds[1]) != 1 || !st.CommitStarted["out"] || st.Committed["out"] || st.Inputs[TaskKey{0, 1}][0][0] != "in" {
		t.Errorf("state %+v", st)
	}
	if st.Incarnation != 2 {
		t.Errorf("incarnation %d, want 2", st.Incarnation)
	}
	// The second driver appends after the first's entries.
	_, st, err = Resume(ctx, dir, h)
	if err != nil || st.Incarnation != 3 || len(st.Results) != 8 {
		t.Fatalf("third incarnation: %v, %+v", err, st)
	}
}

func TestStartAndResumeRefuse(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "run")
	h := Header{Job: "j", Run: "r", Plan: "p1"}
	if _, _, err := Resume(ctx, dir, h); !errors.Is(err, ErrNoJournal) {
		t.Fatalf("resume without a journal: %v", err)
	}
	if _, err := Start(ctx, dir, h); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		do   func() error
		want string
	}{
		{"start twice", func() error { _, err := Start(ctx, dir, h); return err }, "already has a journal"},
		{"changed plan", func() error { _, _, err := Resume(ctx, dir, Header{Job: "j", Run: "r", Plan: "p2"}); return err }, "plan differs"},
		{"other job", func() error { _, _, err := Resume(ctx, dir, Header{Job: "k", Run: "r", Plan: "p1"}); return err }, `belongs to job "j"`},
	}
	for _, tc := range cases {
		if err := tc.do(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

// TestReadHeaderGivesThePlanTime: a resume reads the first driver's
// planning instant before it plans; a later incarnation's header does not
// replace it, and a plan made at another instant is refused with both named.
func TestReadHeaderGivesThePlanTime(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "run")
	if _, err := ReadHeader(ctx, dir); !errors.Is(err, ErrNoJournal) {
		t.Fatalf("no journal: %v", err)
	}
	at := time.Date(2026, 12, 7, 23, 59, 59, 123_456_000, time.UTC)
	h := Header{Job: "j", Run: "r", Plan: "p1", PlanTime: at}
	if _, err := Start(ctx, dir, h); err != nil {
		t.Fatal(err)
	}
	later := Header{Job: "j", Run: "r", Plan: "p1", PlanTime: at.Add(time.Hour)}
	if _, _, err := Resume(ctx, dir, later); err != nil {
		t.Fatal(err) // the same plan: its instant did not matter
	}
	got, err := ReadHeader(ctx, dir)
	if err != nil || !got.PlanTime.Equal(at) || got.Incarnation != 1 {
		t.Fatalf("ReadHeader = %+v, %v; want the first header, planned at %s", got, err, at)
	}
	_, _, err = Resume(ctx, dir, Header{Job: "j", Run: "r", Plan: "p2", PlanTime: at.Add(time.Minute)})
	if !errors.Is(err, ErrPlanChanged) || !strings.Contains(err.Error(), "not the journaled 2026-12-07T23:59:59.123456Z") {
		t.Fatalf("a plan made at another instant: %v", err)
	}
}
